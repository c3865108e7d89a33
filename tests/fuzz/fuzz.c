/*
 * fuzz: the harnesses' shared set-up and the compile pipeline after the
 * readers (see fuzz.h).  The letters are composed with a fixed login and
 * code: the credentials and the ledger are not what is fuzzed, and
 * drawing codes would only slow every run down.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aaf.h"
#include "batch.h"
#include "compose.h"
#include "credentials.h"
#include "diag.h"
#include "directory.h"
#include "emit_pdf.h"
#include "emit_ps.h"
#include "fuzz.h"
#include "layout.h"
#include "mem.h"
#include "outw.h"
#include "select.h"
#include "text.h"

static int		 null_fd = -1;
static struct layout	*letter;

/* The back ends of one run, both fed every page. */
struct fuzz_out {
	struct outw	 wps, wpdf;
	struct emit_ps	*ps;
	struct emit_pdf	*pdf;
};

void
fuzz_init(void)
{
	FILE	*devnull;

	if (null_fd != -1)
		return;
	diag_init("entpress");
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	diag_set_stream(devnull);
	if ((null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		abort();
	aaf_global_init();
	if (text_init() != 0 || cred_init() != 0)
		abort();
	/* The layout every school uses, for the AAF and CSV harnesses. */
	if ((letter = layout_load("letter")) == NULL)
		abort();
}

/*
 * Whether this input also goes through the PDF back end.  Embedding the
 * font subsets costs two thirds of a run, and the PDF sees the same page
 * model as the PostScript: one input in four is enough, chosen from its
 * bytes so that a crash replays.
 */
int
fuzz_want_pdf(const uint8_t *data, size_t size)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return (h & 3) == 0;
}

const struct layout *
fuzz_letter_layout(void)
{
	return letter;
}

/*
 * An outw that writes to /dev/null: what outw_open("-") sets up for the
 * standard output, with another descriptor.  outw_publish() releases it
 * without renaming anything or closing the descriptor.
 */
void
fuzz_null_outw(struct outw *w, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->fd = null_fd;
	w->path = xstrdup(name);
	w->buf = xmalloc(OUTW_BUFSZ);
}

static int
emit_both(void *arg, const struct pg_page *p)
{
	struct fuzz_out	*o = arg;
	int		 ret = 0;

	if (emit_ps_page(o->ps, p) != 0)
		ret = -1;
	if (o->pdf != NULL && emit_pdf_page(o->pdf, p) != 0)
		ret = -1;
	return ret;
}

/*
 * Every letter of the run, as cmd_compile's run_letters() composes it,
 * with one serial per letter and the same login and code for all.
 */
static void
compose_run(struct compose *c, const struct batch_run *r)
{
	struct compose_account	 acc[64];
	struct compose_letter	 cl;
	const struct batch_group *g;
	const struct letter	*lt;
	char			**serials;
	size_t			 i, k;
	uint32_t		 j;

	for (i = 0; i < r->ngroups && c->err == 0; i++) {
		g = &r->groups[i];
		if (g->nletters == 0)
			continue;
		compose_mark(c, 0, "section");
		if (g->section != SECTION_MAIL)
			compose_cover(c, g);
		serials = xcalloc(g->nletters, sizeof(*serials));
		for (k = 0; k < g->nletters; k++) {
			lt = &g->letters[k];
			xasprintf(&serials[k], "2026-0699990Z-%06zu", k + 1);
			if (lt->naccounts > sizeof(acc) / sizeof(acc[0]))
				continue;
			for (j = 0; j < lt->naccounts; j++) {
				acc[j].person = lt->accounts[j];
				acc[j].login = "prenom.nom";
				acc[j].code = "abcdEFGH";
			}
			memset(&cl, 0, sizeof(cl));
			cl.letter = lt;
			cl.group = g;
			cl.accounts = acc;
			cl.serial = serials[k];
			cl.valid_until = "2026-10-01";
			compose_letter(c, &cl);
		}
		compose_flush(c);
		if (g->section != SECTION_MAIL)
			compose_handover(c, g, serials);
		else
			compose_deposit(c, r);
		for (k = 0; k < g->nletters; k++)
			free(serials[k]);
		free(serials);
	}
	compose_flush(c);
}

/*
 * Select everyone, batch, compose with lay and emit PostScript (and PDF
 * when pdf is set) to /dev/null.  Returns the number of pages, 0 when
 * nothing was composed (too many accounts, or none).
 */
int
fuzz_compose(const struct directory *d, const struct layout *lay,
    const struct school_file *sf, int pdf)
{
	struct sel_opts		 so;
	struct selection	 sel;
	struct batch_opts	 bo;
	struct batch_run	 r;
	struct compose		 c;
	struct pg_docinfo	 di;
	struct emit_pdf_opts	 po;
	struct fuzz_out		 o;
	int			 pages = 0;

	sel_opts_init(&so);
	so.state = SEL_STATE_ALL;
	so.relatives = RELATIVES_ALL;
	memset(&sel, 0, sizeof(sel));
	memset(&r, 0, sizeof(r));
	select_run(d, &so, &sel);
	if (sel.n == 0 || sel.n > FUZZ_MAX_ACCOUNTS)
		goto out;
	memset(&bo, 0, sizeof(bo));
	bo.can_post = lay->window.present;
	bo.relatives = RELATIVES_ALL;
	if (batch_build(d, &sel, &bo, &r) != 0 || r.naccounts == 0)
		goto out;

	memset(&di, 0, sizeof(di));
	di.title = "Identifiants ENT";
	di.creator = "entpress fuzz";
	di.date = "2026-09-01";
	di.duplex = lay->duplex;
	di.fonts_used = compose_fonts(lay);
	di.encs_used = 0x7;
	memset(&po, 0, sizeof(po));
	memset(&o, 0, sizeof(o));
	fuzz_null_outw(&o.wps, "fuzz.ps");
	fuzz_null_outw(&o.wpdf, "fuzz.pdf");
	o.ps = emit_ps_begin(&o.wps, &di);
	o.pdf = pdf ? emit_pdf_begin(&o.wpdf, &di, &po) : NULL;
	compose_init(&c, lay, sf, "2026-09-01", emit_both, &o);
	compose_run(&c, &r);
	pages = (int)c.stats.pages;
	compose_free(&c);
	emit_ps_end(o.ps);
	if (o.pdf != NULL)
		emit_pdf_end(o.pdf);
	outw_publish(&o.wps);		/* no temporary name: nothing renamed */
	outw_publish(&o.wpdf);
out:
	batch_free(&r);
	selection_free(&sel);
	sel_opts_free(&so);
	return pages;
}
