/*
 * afm2c: write the width table of the text stage (compiler/text_afm.c)
 * from the AFM files of the URW base-35 fonts.
 *
 *	afm2c URWDIR >compiler/text_afm.c
 *
 * The build runs it, so the widths always come from the fonts the PDF
 * back end embeds, and nobody hand-edits thousands of numbers.  For each
 * face of enum pg_font it reads the advance width (WX) of every glyph
 * named in the three vectors of text_vec.c.  A name missing from a face
 * is an error: the vectors promise glyphs every face has, and a silently
 * zero width would overprint letters.  Kerning pairs are ignored on
 * purpose: PostScript and PDF must set identical text, and neither
 * back end kerns.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "text_tab.h"

/* The URW face Ghostscript's Fontmap.GS gives each PostScript name. */
static const char *const afm_faces[FONT__MAX] = {
	[FONT_HELVETICA] =		"NimbusSans-Regular",
	[FONT_HELVETICA_BOLD] =		"NimbusSans-Bold",
	[FONT_HELVETICA_OBLIQUE] =	"NimbusSans-Italic",
	[FONT_HELVETICA_BOLDOBLIQUE] =	"NimbusSans-BoldItalic",
	[FONT_HELVETICA_NARROW] =	"NimbusSansNarrow-Regular",
	[FONT_HELVETICA_NARROW_BOLD] =	"NimbusSansNarrow-Bold",
	[FONT_TIMES_ROMAN] =		"NimbusRoman-Regular",
	[FONT_TIMES_BOLD] =		"NimbusRoman-Bold",
	[FONT_TIMES_ITALIC] =		"NimbusRoman-Italic",
	[FONT_TIMES_BOLDITALIC] =	"NimbusRoman-BoldItalic",
	[FONT_COURIER] =		"NimbusMonoPS-Regular",
	[FONT_COURIER_BOLD] =		"NimbusMonoPS-Bold",
	[FONT_COURIER_OBLIQUE] =	"NimbusMonoPS-Italic",
	[FONT_COURIER_BOLDOBLIQUE] =	"NimbusMonoPS-BoldItalic"
};

/* The PostScript names, for the comments of the output only. */
static const char *const afm_psnames[FONT__MAX] = {
	"Helvetica", "Helvetica-Bold", "Helvetica-Oblique",
	"Helvetica-BoldOblique", "Helvetica-Narrow", "Helvetica-Narrow-Bold",
	"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
	"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"
};

struct afm_glyph {
	char	*name;
	int	 wx;
};

struct afm {
	struct afm_glyph *g;
	size_t		  n, cap;
};

static const char *afm_prog = "afm2c";

static void
afm_die(const char *file, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", afm_prog, file, msg);
	exit(1);
}

static int
afm_cmp(const void *a, const void *b)
{
	return strcmp(((const struct afm_glyph *)a)->name,
	    ((const struct afm_glyph *)b)->name);
}

/*
 * Read the CharMetrics of one AFM file: lines such as
 * "C 65 ; WX 667 ; N A ; B 14 0 654 729 ;" (C -1 for unencoded glyphs,
 * which is most of them in the URW files).
 */
static void
afm_read(struct afm *a, const char *path)
{
	FILE	*fp;
	char	 line[512], name[128];
	int	 code, wx;

	if ((fp = fopen(path, "r")) == NULL)
		afm_die(path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "C %d ; WX %d ; N %127s ;", &code, &wx,
		    name) != 3)
			continue;
		if (a->n == a->cap) {
			a->cap = a->cap == 0 ? 1024 : a->cap * 2;
			if ((a->g = realloc(a->g, a->cap * sizeof(*a->g))) ==
			    NULL)
				afm_die(path, "out of memory");
		}
		if ((a->g[a->n].name = strdup(name)) == NULL)
			afm_die(path, "out of memory");
		a->g[a->n].wx = wx;
		a->n++;
	}
	if (ferror(fp))
		afm_die(path, strerror(errno));
	fclose(fp);
	if (a->n == 0)
		afm_die(path, "no character metrics");
	qsort(a->g, a->n, sizeof(*a->g), afm_cmp);
}

static void
afm_free(struct afm *a)
{
	size_t	 i;

	for (i = 0; i < a->n; i++)
		free(a->g[i].name);
	free(a->g);
	memset(a, 0, sizeof(*a));
}

static int
afm_width(const struct afm *a, const char *name, const char *path)
{
	struct afm_glyph	 key, *hit;
	char			 msg[160];

	/* Empty slots are never printed; 0 keeps them out of any sum. */
	if (strcmp(name, ".notdef") == 0)
		return 0;
	key.name = (char *)name;
	hit = bsearch(&key, a->g, a->n, sizeof(*a->g), afm_cmp);
	if (hit == NULL) {
		snprintf(msg, sizeof(msg), "no glyph %s", name);
		afm_die(path, msg);
	}
	return hit->wx;
}

int
main(int argc, char *argv[])
{
	struct afm	 a;
	char		 path[4096];
	int		 f, v, c;

	if (argc != 2) {
		fprintf(stderr, "usage: %s URWDIR >text_afm.c\n", afm_prog);
		return 2;
	}
	memset(&a, 0, sizeof(a));
	printf("/*\n"
	    " * text_afm: advance widths of the glyph vectors, in AFM units\n"
	    " * (1/1000 em), by font, vector and code.  Generated at build\n"
	    " * time by tools/afm2c from the URW base-35 AFM files; do not\n"
	    " * edit, and do not commit.\n"
	    " */\n"
	    "#include \"config.h\"\n\n"
	    "#include <stddef.h>\n"
	    "#include <stdint.h>\n\n"
	    "#include \"page.h\"\n"
	    "#include \"text_tab.h\"\n\n"
	    "const int16_t text_afm_widths[FONT__MAX][PG_NENC][256] = {\n");
	for (f = 0; f < FONT__MAX; f++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.afm", argv[1],
		    afm_faces[f]) >= sizeof(path))
			afm_die(argv[1], "path too long");
		afm_read(&a, path);
		printf("\t/* %s: %s.afm */\n\t{\n", afm_psnames[f],
		    afm_faces[f]);
		for (v = 0; v < PG_NENC; v++) {
			printf("\t\t{");
			for (c = 0; c < 256; c++)
				printf("%s%d,", c % 12 == 0 ? "\n\t\t\t" : " ",
				    afm_width(&a, text_vec_names[v][c], path));
			printf("\n\t\t},\n");
		}
		printf("\t},\n");
		afm_free(&a);
	}
	printf("};\n");
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "%s: write error\n", afm_prog);
		return 1;
	}
	return 0;
}
