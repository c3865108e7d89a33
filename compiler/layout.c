/*
 * layout: reading layout files and school files.  See layout.h for what
 * they hold.
 *
 * Both are small XML documents, read whole into a libxml2 tree with the
 * precautions of the AAF reader: the network is off, no entity is ever
 * substituted, an external entity loader refuses everything, and a
 * document with a DOCTYPE is refused outright, since neither format
 * needs one and a DOCTYPE is where entities that read files come from.
 * The tree is then validated against its RELAX NG schema, found beside
 * the layouts, and libxml2's messages are passed on one per error with
 * the line they point at.  Only a valid tree is walked into struct
 * layout: lengths to pg_unit, font names to enum pg_font, when tokens to
 * masks, {fields} checked against the names compose expands, defaults
 * and inherited typefaces resolved, and the geometry a schema cannot see
 * checked (cells on the sheet, window and elements in the cell).  Every
 * problem is reported with its line and the load fails if there was
 * any: a half-read layout would print letters nobody checked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "diag.h"
#include "layout.h"
#include "mem.h"
#include "page.h"

/* Makefile.am defines both; these keep a bare compile (fuzzers) working. */
#ifndef LAYOUTDIR
#define LAYOUTDIR	"/usr/local/share/entpress/layouts"
#endif
#ifndef SRCLAYOUTDIR
#define SRCLAYOUTDIR	"layouts"
#endif

#define LAYOUT_NS	"urn:entpress:layout:1"
#define SCHOOL_NS	"urn:entpress:school:1"

/* A layout or school file is a page of text; anything larger is wrong. */
#define MAX_FILE	(1024 * 1024)

/*
 * Never XML_PARSE_NOENT (entities stay unsubstituted), never DTDLOAD,
 * DTDATTR or DTDVALID (no DTD is read), NONET, and not HUGE, so that
 * libxml2's own limits on entity amplification hold.
 */
#define LAY_XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_BIG_LINES | \
			 XML_PARSE_NOCDATA)

/* --- fields ------------------------------------------------------- */

/* Where a field may be used: letter level, or inside an each. */
#define SCOPE_LETTER	0x01
#define SCOPE_ACCOUNT	0x02		/* each of="accounts" */
#define SCOPE_CHILD	0x04		/* each of="children" */
#define SCOPE_ALL	(SCOPE_LETTER | SCOPE_ACCOUNT | SCOPE_CHILD)

/*
 * The fields compose expands.  Inside an each, the person fields name
 * the account or the child of the round; the letter's own fields stay
 * usable, except those that would be ambiguous there (whose login
 * inside a list of children? whose class inside a list of guardians?).
 */
static const struct {
	const char	*name;
	unsigned int	 scopes;
} fields[] = {
	{ "school_name",	SCOPE_ALL },
	{ "school_address",	SCOPE_ALL },
	{ "school_city",	SCOPE_ALL },
	{ "ent_url",		SCOPE_ALL },
	{ "contact",		SCOPE_ALL },
	{ "signature",		SCOPE_ALL },
	{ "date",		SCOPE_ALL },
	{ "place_date",		SCOPE_ALL },
	{ "serial",		SCOPE_ALL },
	{ "valid_until",	SCOPE_ALL },
	{ "replaces",		SCOPE_ALL },
	{ "recipients",		SCOPE_ALL },
	{ "classes",		SCOPE_ALL },
	{ "page_label",		SCOPE_ALL },
	{ "class",		SCOPE_LETTER | SCOPE_CHILD },
	{ "first_name",		SCOPE_ALL },
	{ "last_name",		SCOPE_ALL },
	{ "full_name",		SCOPE_ALL },
	{ "title",		SCOPE_LETTER | SCOPE_ACCOUNT },
	{ "login",		SCOPE_LETTER | SCOPE_ACCOUNT },
	{ "code",		SCOPE_LETTER | SCOPE_ACCOUNT },
	{ "code_grouped",	SCOPE_LETTER | SCOPE_ACCOUNT },
	{ "profile_word",	SCOPE_LETTER | SCOPE_ACCOUNT },
};

static unsigned int
field_scopes(const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].name) == len &&
		    memcmp(fields[i].name, name, len) == 0)
			return fields[i].scopes;
	return 0;
}

int
layout_field_known(const char *name, size_t len)
{
	return field_scopes(name, len) != 0;
}

/* when="..." tokens (layout.rng lists the same). */
static const struct {
	const char	*name;
	unsigned int	 bit;
} when_tokens[] = {
	{ "student",		WHEN_STUDENT },
	{ "teacher",		WHEN_TEACHER },
	{ "staff",		WHEN_STAFF },
	{ "parent",		WHEN_PARENT },
	{ "guest",		WHEN_GUEST },
	{ "posted",		WHEN_POSTED },
	{ "handed",		WHEN_HANDED },
	{ "several",		WHEN_SEVERAL },
	{ "one",		WHEN_ONE },
	{ "reissue",		WHEN_REISSUE },
	{ "one-child",		WHEN_ONE_CHILD },
	{ "several-children",	WHEN_CHILDREN },
};

/* --- the load context and its messages ---------------------------- */

struct ld {
	const char	*file;		/* as printed in messages */
	enum diag_code	 code;		/* DIAG_BAD_LAYOUT or _SCHOOLFILE */
	int		 nerr;
	struct arena	 scratch;	/* attribute values, freed at the end */
	unsigned int	 last_line;	/* the previous libxml2 message, */
	char		 last_msg[512];	/* to drop its exact repetitions */
};

static void
ld_init(struct ld *ld, const char *file, enum diag_code code)
{
	memset(ld, 0, sizeof(*ld));
	ld->file = file;
	ld->code = code;
	arena_init(&ld->scratch);
}

static void
ld_free(struct ld *ld)
{
	arena_free(&ld->scratch);
}

static void ld_err(struct ld *, unsigned int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
ld_err(struct ld *ld, unsigned int line, const char *fmt, ...)
{
	struct diag_pos	 pos = { ld->file, line, 0 };
	va_list		 ap;

	ld->nerr++;
	va_start(ap, fmt);
	diagv(ld->code, &pos, fmt, ap);
	va_end(ap);
}

static int	 parse_length(const char *, pg_unit *);

/* Attributes whose value is a length, or a list of them (at). */
static const char *const length_attrs[] = {
	"width", "height", "margin", "left", "top", "bottom", "indent",
	"size", "leading", "return-size", "length", "line", "punch",
	"space-before", "padding", "dash", "at"
};

/*
 * RELAX NG says only that an element "failed to validate attributes";
 * name the length that is wrong, the commonest mistake (12km, 12 mm).
 */
static void
attr_hint(xmlNodePtr n, char *out, size_t sz)
{
	xmlAttrPtr	 a;
	xmlChar		*v;
	char		 tok[32];
	const char	*p;
	size_t		 i, len, used = 0;
	pg_unit		 u;
	int		 bad;

	out[0] = '\0';
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return;
	for (a = n->properties; a != NULL; a = a->next) {
		for (i = 0; i < sizeof(length_attrs) / sizeof(length_attrs[0]);
		    i++)
			if (xmlStrEqual(a->name,
			    (const xmlChar *)length_attrs[i]))
				break;
		if (i == sizeof(length_attrs) / sizeof(length_attrs[0]) ||
		    (v = xmlNodeGetContent((xmlNodePtr)a)) == NULL)
			continue;
		bad = 0;
		for (p = (const char *)v; *p != '\0' && !bad; p += len) {
			p += strspn(p, " \t\n\r");
			if ((len = strcspn(p, " \t\n\r")) == 0)
				break;
			if (len >= sizeof(tok))
				bad = 1;
			else {
				memcpy(tok, p, len);
				tok[len] = '\0';
				bad = parse_length(tok, &u) == -1;
			}
		}
		if (bad && used < sz)
			used += (size_t)snprintf(out + used, sz - used,
			    "%s%s=\"%.40s\" is not a length such as 35mm or "
			    "9pt", used == 0 ? ": " : "; ", a->name, v);
		xmlFree(v);
	}
}

/*
 * libxml2's structured error handler: one of our messages per error,
 * with its line and column.  Warnings are dropped (a valid file has
 * none that matter), and so are exact repetitions, which RELAX NG
 * validation produces when it retries a choice.
 */
static void
ld_xml_error(void *arg, xmlErrorPtr e)
{
	struct ld	*ld = arg;
	struct diag_pos	 pos;
	char		 msg[512], hint[256];
	size_t		 len;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s",
	    e->message != NULL ? e->message : "XML error");
	/* Messages may span lines; ours are one line each. */
	for (len = 0; msg[len] != '\0'; len++)
		if (msg[len] == '\n' || msg[len] == '\t' || msg[len] == '\r')
			msg[len] = ' ';
	while (len > 0 && msg[len - 1] == ' ')
		msg[--len] = '\0';
	if (e->domain == XML_FROM_RELAXNGV &&
	    e->code == XML_RELAXNG_ERR_ATTRVALID) {
		attr_hint(e->node, hint, sizeof(hint));
		if (hint[0] != '\0' && len < sizeof(msg) - 1) {
			snprintf(msg + len, sizeof(msg) - len, "%s", hint);
			len = strlen(msg);
		}
	}
	ld->nerr++;
	pos.file = ld->file;
	pos.line = e->line > 0 ? (unsigned int)e->line : 0;
	pos.col = e->int2 > 0 ? (unsigned int)e->int2 : 0;
	if (pos.line == ld->last_line && strcmp(msg, ld->last_msg) == 0)
		return;
	ld->last_line = pos.line;
	memcpy(ld->last_msg, msg, len + 1);
	diag(ld->code, &pos, "%s", msg);
}

/* Never load anything from outside: no DTD, no external entity. */
static xmlParserInputPtr
no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

/* --- reading and validating a document ---------------------------- */

/* The whole file into b; -1 (diagnosed) when it cannot be read. */
static int
read_whole(struct ld *ld, const char *path, struct buf *b)
{
	char	 chunk[8192];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			diag_sys(DIAG_SYS_READ, path, "%s", strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > MAX_FILE) {
			ld_err(ld, 0, "file larger than %d bytes", MAX_FILE);
			close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* The line of the DOCTYPE in the raw bytes, for the message. */
static unsigned int
doctype_line(const char *buf, size_t len)
{
	const char	*p, *end;
	unsigned int	 line = 1;

	if (buf == NULL)
		return 0;
	end = buf + len;
	for (p = buf; p + 9 <= end; p++) {
		if (*p == '\n')
			line++;
		else if (memcmp(p, "<!DOCTYPE", 9) == 0)
			return line;
	}
	return 0;
}

/*
 * Parse len bytes named name into a tree, or NULL after saying why.
 * libxml2 only ever sees bytes from memory, so it opens nothing itself:
 * the entity loader that refuses everything stays in force.
 */
static xmlDocPtr
ld_parse_mem(struct ld *ld, const char *name, const char *buf, size_t len)
{
	xmlDocPtr	 doc;

	if (len > MAX_FILE) {
		ld_err(ld, 0, "file larger than %d bytes", MAX_FILE);
		return NULL;
	}
	xmlSetExternalEntityLoader(no_external);
	xmlSetStructuredErrorFunc(ld, ld_xml_error);
	doc = xmlReadMemory(buf != NULL ? buf : "", (int)len, name, NULL,
	    LAY_XML_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc != NULL && ld->nerr > 0) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (doc == NULL) {
		if (ld->nerr == 0)
			ld_err(ld, 0, "%s", "not an XML document");
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		ld_err(ld, doctype_line(buf, len), "%s",
		    "DOCTYPE not allowed (no DTD and no entity is ever read)");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* The same for a file, read here whole. */
static xmlDocPtr
ld_parse(struct ld *ld, const char *path)
{
	struct buf	 b;
	xmlDocPtr	 doc;

	buf_init(&b);
	if (read_whole(ld, path, &b) == -1) {
		buf_free(&b);
		return NULL;
	}
	doc = ld_parse_mem(ld, path, b.p, b.len);
	buf_free(&b);
	return doc;
}

/*
 * Layouts and schemas are looked up in the installed directory first,
 * then in the source tree's layouts/, so that an uninstalled build runs.
 * Returns a malloc'd path, or NULL.
 */
static char *
find_data(const char *file)
{
	static const char *const dirs[] = { LAYOUTDIR, SRCLAYOUTDIR };
	char		*p;
	size_t		 i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		xasprintf(&p, "%s/%s", dirs[i], file);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

/*
 * Validate doc against the schema file rng.  Schema problems are an
 * installation fault but still reported against the schema's own path.
 */
static int
ld_validate(struct ld *ld, xmlDocPtr doc, const char *rng)
{
	struct ld		 lds;
	xmlDocPtr		 sdoc;
	xmlRelaxNGParserCtxtPtr	 pctxt;
	xmlRelaxNGPtr		 schema;
	xmlRelaxNGValidCtxtPtr	 vctxt;
	char			*path;
	int			 r;

	if ((path = find_data(rng)) == NULL) {
		ld_err(ld, 0, "schema %s found in neither %s nor %s", rng,
		    LAYOUTDIR, SRCLAYOUTDIR);
		return -1;
	}
	ld_init(&lds, path, ld->code);
	if ((sdoc = ld_parse(&lds, path)) == NULL) {
		ld_free(&lds);
		free(path);
		ld->nerr++;
		return -1;
	}
	/* The parser context copies the document. */
	pctxt = xmlRelaxNGNewDocParserCtxt(sdoc);
	xmlFreeDoc(sdoc);
	if (pctxt == NULL)
		diag_fatal_nomem();
	xmlRelaxNGSetParserStructuredErrors(pctxt, ld_xml_error, &lds);
	schema = xmlRelaxNGParse(pctxt);
	xmlRelaxNGFreeParserCtxt(pctxt);
	if (schema == NULL) {
		if (lds.nerr == 0)
			ld_err(&lds, 0, "%s", "schema does not compile");
		ld_free(&lds);
		free(path);
		ld->nerr++;
		return -1;
	}
	ld_free(&lds);
	free(path);

	if ((vctxt = xmlRelaxNGNewValidCtxt(schema)) == NULL)
		diag_fatal_nomem();
	xmlRelaxNGSetValidStructuredErrors(vctxt, ld_xml_error, ld);
	r = xmlRelaxNGValidateDoc(vctxt, doc);
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(schema);
	if (r != 0 && ld->nerr == 0)
		ld_err(ld, 0, "%s", "does not follow its schema");
	return r == 0 && ld->nerr == 0 ? 0 : -1;
}

/* --- values ------------------------------------------------------- */

static unsigned int
node_line(xmlNodePtr n)
{
	long	 l = xmlGetLineNo(n);

	return l > 0 ? (unsigned int)l : 0;
}

static int
is_elem(xmlNodePtr n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    xmlStrEqual(n->ns->href, (const xmlChar *)ns) &&
	    (name == NULL || xmlStrEqual(n->name, (const xmlChar *)name));
}

/* The first child element called name, or NULL. */
static xmlNodePtr
child(xmlNodePtr n, const char *ns, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (is_elem(n, ns, name))
			return n;
	return NULL;
}

/*
 * Text with its white space folded: runs of spaces, tabs and newlines
 * become one space, none at either end, so a long paragraph may be
 * written over several lines of the file.  No-break spaces are kept.
 */
static char *
fold_space(struct arena *a, const char *s)
{
	char	*out, *o;

	out = o = arena_alloc(a, strlen(s) + 1);
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			while (*s == ' ' || *s == '\t' || *s == '\n' ||
			    *s == '\r')
				s++;
			if (o != out && *s != '\0')
				*o++ = ' ';
			continue;
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* An element's text content, folded, in arena a. */
static char *
content(struct arena *a, xmlNodePtr n)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlNodeGetContent(n)) == NULL)
		return arena_strdup(a, "");
	s = fold_space(a, (const char *)v);
	xmlFree(v);
	return s;
}

/* An attribute's value (in the scratch arena), or NULL when absent. */
static const char *
get_attr(struct ld *ld, xmlNodePtr n, const char *name)
{
	xmlChar	*v;
	char	*s;

	if ((v = xmlGetNoNsProp(n, (const xmlChar *)name)) == NULL)
		return NULL;
	s = fold_space(&ld->scratch, (const char *)v);
	xmlFree(v);
	return s;
}

/*
 * "35mm", "9pt", "0.2pt" to pg_unit.  The number is read exactly, in
 * thousandths, and millimetres are converted in integers (1 mm = 72/25.4
 * pt = 360/127 thousandths of a point per thousandth of a millimetre),
 * rounded to the nearest unit like PG_MM.  -1 for anything else.
 */
static int
parse_length(const char *s, pg_unit *out)
{
	int64_t	 v = 0;
	int	 digits = 0, frac = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		if (++digits > 6)
			return -1;
		else
			v = v * 10 + (*s - '0');
	if (digits == 0)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (++frac > 3)
				return -1;
			else
				v = v * 10 + (*s - '0');
		if (frac == 0)
			return -1;
	}
	for (; frac < 3; frac++)
		v *= 10;
	if (strcmp(s, "mm") == 0)
		*out = (pg_unit)((v * 360 + 63) / 127);
	else if (strcmp(s, "pt") == 0)
		*out = (pg_unit)v;
	else
		return -1;
	return 0;
}

/*
 * Length attribute name of n into *out; def when absent.  required makes
 * absence an error (the schema says so too; this is the second line of
 * defence for a tree that skipped it).
 */
static void
get_length(struct ld *ld, xmlNodePtr n, const char *name, int required,
    pg_unit def, pg_unit *out)
{
	const char	*v;

	*out = def;
	if ((v = get_attr(ld, n, name)) == NULL) {
		if (required)
			ld_err(ld, node_line(n), "<%s> needs %s", n->name, name);
		return;
	}
	if (parse_length(v, out) == -1) {
		ld_err(ld, node_line(n), "%s=\"%s\" is not a length in mm "
		    "or pt", name, v);
		*out = def;
	}
}

/* A font: a base font's PostScript name, or a role of <fonts>. */
static int
font_lookup(const struct layout *lay, const char *s, enum pg_font *f)
{
	int	 i;

	if (lay != NULL) {
		if (strcmp(s, "regular") == 0) {
			*f = lay->font_regular;
			return 0;
		}
		if (strcmp(s, "bold") == 0) {
			*f = lay->font_bold;
			return 0;
		}
		if (strcmp(s, "mono") == 0) {
			*f = lay->font_mono;
			return 0;
		}
	}
	for (i = 0; i < FONT__MAX; i++)
		if (strcmp(pg_font_name((enum pg_font)i), s) == 0) {
			*f = (enum pg_font)i;
			return 0;
		}
	return -1;
}

static void
get_font(struct ld *ld, const struct layout *lay, xmlNodePtr n,
    const char *name, enum pg_font def, enum pg_font *out)
{
	const char	*v;

	*out = def;
	if ((v = get_attr(ld, n, name)) == NULL)
		return;
	if (font_lookup(lay, v, out) == -1) {
		ld_err(ld, node_line(n), "unknown font %s=\"%s\" (%s"
		    "a PostScript name such as Helvetica, Helvetica-Bold, "
		    "Times-Roman or Courier-Bold)", name, v,
		    lay != NULL ? "regular, bold, mono or " : "");
		*out = def;
	}
}

static void
get_align(struct ld *ld, xmlNodePtr n, enum lay_align def,
    enum lay_align *out)
{
	const char	*v;

	*out = def;
	if ((v = get_attr(ld, n, "align")) == NULL)
		return;
	if (strcmp(v, "left") == 0)
		*out = ALIGN_LEFT;
	else if (strcmp(v, "center") == 0)
		*out = ALIGN_CENTER;
	else if (strcmp(v, "right") == 0)
		*out = ALIGN_RIGHT;
	else
		ld_err(ld, node_line(n), "align=\"%s\" is not left, center "
		    "or right", v);
}

static unsigned int
get_when(struct ld *ld, xmlNodePtr n)
{
	const char	*v, *p, *q;
	unsigned int	 mask = 0;
	size_t		 i, len;

	if ((v = get_attr(ld, n, "when")) == NULL)
		return 0;
	for (p = v; *p != '\0'; p = q) {
		while (*p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ' '; q++)
			continue;
		if ((len = (size_t)(q - p)) == 0)
			break;
		for (i = 0; i < sizeof(when_tokens) / sizeof(when_tokens[0]);
		    i++)
			if (strlen(when_tokens[i].name) == len &&
			    memcmp(when_tokens[i].name, p, len) == 0)
				break;
		if (i == sizeof(when_tokens) / sizeof(when_tokens[0]))
			ld_err(ld, node_line(n), "unknown condition "
			    "when=\"%.*s\"", (int)len, p);
		else
			mask |= when_tokens[i].bit;
	}
	return mask;
}

/*
 * Check the {fields} of a text: each one known, and usable where it
 * stands.  Otherwise braces are written {{ and }}, as compose reads them.
 */
static void
check_fields(struct ld *ld, const char *s, unsigned int scope,
    unsigned int line)
{
	const char	*p, *q;
	unsigned int	 sc;
	size_t		 len;

	for (p = s; (p = strpbrk(p, "{}")) != NULL; ) {
		if (p[0] == p[1]) {		/* {{ or }} */
			p += 2;
			continue;
		}
		if (*p == '}') {
			ld_err(ld, line, "%s", "} without {: write }} for a "
			    "brace");
			p++;
			continue;
		}
		for (q = p + 1; (*q >= 'a' && *q <= 'z') || *q == '_'; q++)
			continue;
		len = (size_t)(q - p - 1);
		if (*q != '}') {
			ld_err(ld, line, "unterminated field {%.*s",
			    (int)(len > 40 ? 40 : len), p + 1);
			p = q;
			continue;
		}
		if ((sc = field_scopes(p + 1, len)) == 0)
			ld_err(ld, line, "unknown field {%.*s}", (int)len,
			    p + 1);
		else if ((sc & scope) == 0)
			ld_err(ld, line, "field {%.*s} cannot be used "
			    "inside <each of=\"%s\">", (int)len, p + 1,
			    scope == SCOPE_CHILD ? "children" : "accounts");
		p = q + 1;
	}
}

/* --- the template ------------------------------------------------- */

/* What an element hands down to the elements it holds. */
struct inh {
	enum pg_font	 font;
	pg_unit		 size;
	pg_unit		 leading;	/* 0: 1.2 x the size */
	pg_unit		 width;		/* for paragraphs */
	unsigned int	 scope;		/* SCOPE_* */
	int		 in_each, in_frame;
};

/* Template element names and kinds. */
static const struct {
	const char	*name;
	enum lay_kind	 kind;
} elem_names[] = {
	{ "text",	LAY_TEXT },
	{ "flow",	LAY_FLOW },
	{ "p",		LAY_PARA },
	{ "frame",	LAY_FRAME },
	{ "each",	LAY_EACH },
	{ "gap",	LAY_GAP },
	{ "rule",	LAY_RULE },
	{ "box",	LAY_BOX },
};

#define DEF_SIZE	PG_PT(10)
#define DEF_LINE	PG_PT(0.5)
#define DEF_PADDING	PG_MM(3)

static pg_unit
leading_of(pg_unit size)
{
	return (pg_unit)(((int64_t)size * 6 + 2) / 5);
}

/*
 * font, size and leading of n, inherited from up: a size given here
 * without a leading gets 1.2 x itself, not the leading of its parent.
 */
static void
get_typeface(struct ld *ld, const struct layout *lay, xmlNodePtr n,
    const struct inh *up, struct lay_elem *e)
{
	int	 has_size;

	get_font(ld, lay, n, "font", up->font, &e->font);
	has_size = get_attr(ld, n, "size") != NULL;
	get_length(ld, n, "size", 0, up->size, &e->size);
	if (e->size <= 0) {
		ld_err(ld, e->line_no, "%s", "font size must not be 0");
		e->size = DEF_SIZE;
	}
	get_length(ld, n, "leading", 0,
	    has_size || up->leading == 0 ? leading_of(e->size) : up->leading,
	    &e->leading);
}

static void	 build_kids(struct ld *, struct layout *, xmlNodePtr,
		    const struct inh *, struct lay_elem *);

static void
build_elem(struct ld *ld, struct layout *lay, xmlNodePtr n,
    const struct inh *up, enum lay_kind kind, struct lay_elem *e)
{
	struct inh	 in;
	const char	*v;

	e->kind = kind;
	e->line_no = node_line(n);
	e->when = get_when(ld, n);
	e->font = up->font;
	e->size = up->size;
	e->leading = up->leading != 0 ? up->leading : leading_of(up->size);
	e->align = ALIGN_LEFT;
	in = *up;

	switch (kind) {
	case LAY_TEXT:
		get_length(ld, n, "left", 1, 0, &e->left);
		get_length(ld, n, "top", 1, 0, &e->top);
		get_length(ld, n, "width", 0, 0, &e->width);
		get_typeface(ld, lay, n, up, e);
		get_align(ld, n, ALIGN_LEFT, &e->align);
		e->text = content(&lay->arena, n);
		check_fields(ld, e->text, up->scope, e->line_no);
		if (e->align != ALIGN_LEFT && e->width == 0)
			ld_err(ld, e->line_no, "%s", "a centred or right-"
			    "aligned text needs a width");
		break;
	case LAY_FLOW:
		get_length(ld, n, "left", 1, 0, &e->left);
		get_length(ld, n, "top", 1, 0, &e->top);
		get_length(ld, n, "width", 1, 0, &e->width);
		get_length(ld, n, "bottom", 0, 0, &e->height);
		get_typeface(ld, lay, n, up, e);
		in.font = e->font;
		in.size = e->size;
		in.leading = get_attr(ld, n, "leading") != NULL ?
		    e->leading : 0;
		in.width = e->width;
		build_kids(ld, lay, n, &in, e);
		break;
	case LAY_PARA:
		get_typeface(ld, lay, n, up, e);
		get_length(ld, n, "space-before", 0, 0, &e->space_before);
		get_align(ld, n, ALIGN_LEFT, &e->align);
		e->width = up->width;
		e->text = content(&lay->arena, n);
		check_fields(ld, e->text, up->scope, e->line_no);
		break;
	case LAY_FRAME:
		if (up->in_frame)
			ld_err(ld, e->line_no, "%s", "<frame> inside a "
			    "<frame>");
		get_length(ld, n, "padding", 0, DEF_PADDING, &e->padding);
		get_length(ld, n, "line", 0, DEF_LINE, &e->line);
		get_length(ld, n, "space-before", 0, 0, &e->space_before);
		e->width = up->width;
		in.width = up->width - 2 * (e->padding + e->line);
		if (in.width <= 0) {
			ld_err(ld, e->line_no, "%s", "frame padding leaves "
			    "no room for text");
			in.width = up->width;
		}
		in.in_frame = 1;
		build_kids(ld, lay, n, &in, e);
		break;
	case LAY_EACH:
		if (up->in_each)
			ld_err(ld, e->line_no, "%s", "<each> inside an "
			    "<each>");
		v = get_attr(ld, n, "of");
		if (v != NULL && strcmp(v, "accounts") == 0) {
			e->each = EACH_ACCOUNT;
			in.scope = SCOPE_ACCOUNT;
		} else if (v != NULL && strcmp(v, "children") == 0) {
			e->each = EACH_CHILD;
			in.scope = SCOPE_CHILD;
		} else
			ld_err(ld, e->line_no, "%s", "<each> needs "
			    "of=\"accounts\" or of=\"children\"");
		e->width = up->width;
		in.in_each = 1;
		build_kids(ld, lay, n, &in, e);
		break;
	case LAY_GAP:
		get_length(ld, n, "size", 1, 0, &e->size);
		break;
	case LAY_RULE:
		get_length(ld, n, "left", 1, 0, &e->left);
		get_length(ld, n, "top", 1, 0, &e->top);
		get_length(ld, n, "width", 1, 0, &e->width);
		get_length(ld, n, "line", 0, DEF_LINE, &e->line);
		get_length(ld, n, "dash", 0, 0, &e->dash);
		break;
	case LAY_BOX:
		get_length(ld, n, "left", 1, 0, &e->left);
		get_length(ld, n, "top", 1, 0, &e->top);
		get_length(ld, n, "width", 1, 0, &e->width);
		get_length(ld, n, "height", 1, 0, &e->height);
		get_length(ld, n, "line", 0, DEF_LINE, &e->line);
		get_length(ld, n, "dash", 0, 0, &e->dash);
		break;
	}
}

/* The element children of n, built into e->kids (or the template). */
static void
build_list(struct ld *ld, struct layout *lay, xmlNodePtr n,
    const struct inh *in, struct lay_elem **kids, size_t *nkids)
{
	xmlNodePtr	 c;
	size_t		 i, k = 0;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k++;
	*kids = k == 0 ? NULL : arena_calloc(&lay->arena, k, sizeof(**kids));
	*nkids = 0;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < sizeof(elem_names) / sizeof(elem_names[0]);
		    i++)
			if (is_elem(c, LAYOUT_NS, elem_names[i].name))
				break;
		if (i == sizeof(elem_names) / sizeof(elem_names[0])) {
			ld_err(ld, node_line(c), "unexpected element <%s>",
			    c->name);
			continue;
		}
		build_elem(ld, lay, c, in, elem_names[i].kind,
		    &(*kids)[(*nkids)++]);
	}
}

static void
build_kids(struct ld *ld, struct layout *lay, xmlNodePtr n,
    const struct inh *in, struct lay_elem *e)
{
	build_list(ld, lay, n, in, &e->kids, &e->nkids);
}

/* --- the sheet ---------------------------------------------------- */

/* Millimetres, for messages: a designer thinks in them. */
static double
mm(pg_unit u)
{
	return u * 25.4 / 72000;
}

/* A fit test with room for the rounding of mm to pg_unit. */
#define FITS(a, b)	((int64_t)(a) <= (int64_t)(b) + 4)

static void
check_elem_in_cell(struct ld *ld, const struct layout *lay,
    const struct lay_elem *e)
{
	pg_unit		 cw = lay->cell_width, ch = lay->cell_height;
	pg_unit		 right, bottom;

	right = e->left + e->width;
	switch (e->kind) {
	case LAY_TEXT:
		bottom = e->top + e->size;
		if (e->width == 0)
			right = e->left;
		break;
	case LAY_FLOW:
		bottom = e->height != 0 ? e->height : e->top;
		if (e->height != 0 && e->height <= e->top)
			ld_err(ld, e->line_no, "%s", "flow bottom is above "
			    "its top");
		break;
	case LAY_BOX:
		bottom = e->top + e->height;
		break;
	default:
		bottom = e->top;
		break;
	}
	if (!FITS(right, cw) || !FITS(bottom, ch) ||
	    (e->kind == LAY_TEXT && e->left >= cw))
		ld_err(ld, e->line_no, "<%s> reaches %.1fmm x %.1fmm, "
		    "outside the %.1fmm x %.1fmm cell",
		    e->kind == LAY_TEXT ? "text" : e->kind == LAY_FLOW ?
		    "flow" : e->kind == LAY_RULE ? "rule" : "box",
		    mm(right), mm(bottom), mm(cw), mm(ch));
}

static void
read_sheet(struct ld *ld, struct layout *lay, xmlNodePtr root)
{
	xmlNodePtr	 n;
	const char	*v, *p;
	pg_unit		 u;
	long		 x;
	char		*end;

	/* page */
	if ((n = child(root, LAYOUT_NS, "page")) == NULL) {
		ld_err(ld, node_line(root), "%s", "no <page>");
		return;
	}
	get_length(ld, n, "width", 1, 0, &lay->page_width);
	get_length(ld, n, "height", 1, 0, &lay->page_height);
	get_length(ld, n, "margin", 0, PG_MM(15), &lay->margin);
	v = get_attr(ld, n, "duplex");
	lay->duplex = v != NULL && strcmp(v, "yes") == 0;
	if (lay->page_width <= 0 || lay->page_height <= 0)
		ld_err(ld, node_line(n), "%s", "empty page");
	else if (2 * lay->margin >= lay->page_width ||
	    2 * lay->margin >= lay->page_height)
		ld_err(ld, node_line(n), "%s", "margins leave no room");

	/* cells */
	if ((n = child(root, LAYOUT_NS, "cells")) == NULL) {
		ld_err(ld, node_line(root), "%s", "no <cells>");
		return;
	}
	lay->columns = lay->rows = 1;
	if ((v = get_attr(ld, n, "columns")) != NULL) {
		x = strtol(v, &end, 10);
		if (*end != '\0' || x < 1 || x > 20)
			ld_err(ld, node_line(n), "columns=\"%s\"", v);
		else
			lay->columns = (int)x;
	}
	if ((v = get_attr(ld, n, "rows")) != NULL) {
		x = strtol(v, &end, 10);
		if (*end != '\0' || x < 1 || x > 20)
			ld_err(ld, node_line(n), "rows=\"%s\"", v);
		else
			lay->rows = (int)x;
	}
	get_length(ld, n, "width", 1, 0, &lay->cell_width);
	get_length(ld, n, "height", 1, 0, &lay->cell_height);
	/* Without a position the grid is centred on the sheet. */
	get_length(ld, n, "left", 0,
	    (lay->page_width - lay->columns * lay->cell_width) / 2,
	    &lay->grid_left);
	get_length(ld, n, "top", 0,
	    (lay->page_height - lay->rows * lay->cell_height) / 2,
	    &lay->grid_top);
	v = get_attr(ld, n, "cut");
	lay->cut = v == NULL || strcmp(v, "none") == 0 ? 0 :
	    strcmp(v, "solid") == 0 ? 1 : 2;
	if (lay->cell_width <= 0 || lay->cell_height <= 0)
		ld_err(ld, node_line(n), "%s", "empty cells");
	else if (lay->grid_left < 0 || lay->grid_top < 0 ||
	    !FITS(lay->grid_left + (int64_t)lay->columns * lay->cell_width,
	    lay->page_width) ||
	    !FITS(lay->grid_top + (int64_t)lay->rows * lay->cell_height,
	    lay->page_height))
		ld_err(ld, node_line(n), "%d x %d cells of %.1fmm x %.1fmm "
		    "do not fit the %.1fmm x %.1fmm page", lay->columns,
		    lay->rows, mm(lay->cell_width), mm(lay->cell_height),
		    mm(lay->page_width), mm(lay->page_height));

	/* fonts */
	lay->font_regular = FONT_HELVETICA;
	lay->font_bold = FONT_HELVETICA_BOLD;
	lay->font_mono = FONT_COURIER_BOLD;
	if ((n = child(root, LAYOUT_NS, "fonts")) != NULL) {
		get_font(ld, NULL, n, "regular", FONT_HELVETICA,
		    &lay->font_regular);
		get_font(ld, NULL, n, "bold", FONT_HELVETICA_BOLD,
		    &lay->font_bold);
		get_font(ld, NULL, n, "mono", FONT_COURIER_BOLD,
		    &lay->font_mono);
	}

	/* window */
	if ((n = child(root, LAYOUT_NS, "window")) != NULL) {
		struct lay_window	*w = &lay->window;
		struct lay_elem		 tf;
		struct inh		 base;

		w->present = 1;
		get_length(ld, n, "left", 1, 0, &w->left);
		get_length(ld, n, "top", 1, 0, &w->top);
		get_length(ld, n, "width", 1, 0, &w->width);
		get_length(ld, n, "height", 1, 0, &w->height);
		get_length(ld, n, "indent", 0, PG_MM(5), &w->indent);
		memset(&base, 0, sizeof(base));
		memset(&tf, 0, sizeof(tf));
		base.font = lay->font_regular;
		base.size = PG_PT(9);
		tf.line_no = node_line(n);
		get_typeface(ld, lay, n, &base, &tf);
		w->font = tf.font;
		w->size = tf.size;
		w->leading = tf.leading;
		get_length(ld, n, "return-size", 0, PG_PT(7),
		    &w->return_size);
		if (w->width <= 0 || w->height <= 0 ||
		    !FITS(w->left + w->width, lay->cell_width) ||
		    !FITS(w->top + w->height, lay->cell_height))
			ld_err(ld, node_line(n), "window %.1fmm x %.1fmm at "
			    "%.1fmm, %.1fmm is not inside the %.1fmm x "
			    "%.1fmm cell", mm(w->width), mm(w->height),
			    mm(w->left), mm(w->top), mm(lay->cell_width),
			    mm(lay->cell_height));
		else if (2 * w->indent >= w->width)
			ld_err(ld, node_line(n), "%s", "window indent "
			    "leaves no room for the address");
		else if (w->return_size + w->leading > w->height)
			ld_err(ld, node_line(n), "%s", "window too low for "
			    "the return address and one line");
	}

	/* fold marks */
	if ((n = child(root, LAYOUT_NS, "foldmarks")) != NULL) {
		struct lay_folds	*f = &lay->folds;
		char			 tok[32];
		size_t			 len;

		f->present = 1;
		get_length(ld, n, "left", 0, PG_MM(3.5), &f->left);
		get_length(ld, n, "length", 0, PG_MM(2), &f->length);
		get_length(ld, n, "line", 0, PG_PT(0.2), &f->line);
		get_length(ld, n, "punch", 0, 0, &f->punch);
		if ((v = get_attr(ld, n, "at")) == NULL)
			v = "";
		for (p = v; *p != '\0'; p += len) {
			while (*p == ' ')
				p++;
			len = strcspn(p, " ");
			if (len == 0)
				break;
			if (f->nat == sizeof(f->at) / sizeof(f->at[0])) {
				ld_err(ld, node_line(n), "more than %zu fold "
				    "marks", sizeof(f->at) / sizeof(f->at[0]));
				break;
			}
			snprintf(tok, sizeof(tok), "%.*s",
			    (int)(len < sizeof(tok) ? len : sizeof(tok) - 1),
			    p);
			if (len >= sizeof(tok) || parse_length(tok, &u) == -1)
				ld_err(ld, node_line(n), "at: \"%s\" is not a "
				    "length", tok);
			else if (u <= 0 || u >= lay->page_height)
				ld_err(ld, node_line(n), "fold mark at %s is "
				    "off the page", tok);
			else
				f->at[f->nat++] = u;
		}
		if (f->punch >= lay->page_height)
			ld_err(ld, node_line(n), "%s", "punch mark off the "
			    "page");
		if (!FITS(f->left + f->length, lay->page_width))
			ld_err(ld, node_line(n), "%s", "fold marks off the "
			    "page");
	}
}

static void
read_layout(struct ld *ld, struct layout *lay, xmlNodePtr root)
{
	xmlNodePtr	 n;
	struct inh	 top;
	const char	*v;
	size_t		 i;

	if ((v = get_attr(ld, root, "name")) != NULL)
		lay->name = arena_strdup(&lay->arena, v);
	if ((v = get_attr(ld, root, "version")) != NULL &&
	    strcmp(v, "1") != 0 && strncmp(v, "1.", 2) != 0)
		ld_err(ld, node_line(root), "layout version %s, this entpress "
		    "reads version 1", v);
	read_sheet(ld, lay, root);
	if (ld->nerr > 0)
		return;
	if ((n = child(root, LAYOUT_NS, "template")) == NULL) {
		ld_err(ld, node_line(root), "%s", "no <template>");
		return;
	}
	memset(&top, 0, sizeof(top));
	top.font = lay->font_regular;
	top.size = DEF_SIZE;
	top.scope = SCOPE_LETTER;
	build_list(ld, lay, n, &top, &lay->elems, &lay->nelems);
	for (i = 0; i < lay->nelems; i++)
		check_elem_in_cell(ld, lay, &lay->elems[i]);
}

/* --- the public functions ------------------------------------------ */

/* A layout name is a file stem: no way to climb out of the directory. */
static int
good_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/*
 * Parse, validate and build a layout from its bytes; path names it in
 * messages and is kept in lay->path.
 */
static struct layout *
layout_build(const char *path, const char *buf, size_t len)
{
	struct layout	*lay;
	struct ld	 ld;
	xmlDocPtr	 doc;

	xmlInitParser();
	lay = xcalloc(1, sizeof(*lay));
	arena_init(&lay->arena);
	lay->path = arena_strdup(&lay->arena, path);
	ld_init(&ld, lay->path, DIAG_BAD_LAYOUT);
	if ((doc = ld_parse_mem(&ld, lay->path, buf, len)) != NULL) {
		if (ld_validate(&ld, doc, "layout.rng") == 0)
			read_layout(&ld, lay, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	} else
		ld.nerr++;
	if (lay->name == NULL)
		lay->name = arena_strdup(&lay->arena, "");
	if (ld.nerr > 0) {
		ld_free(&ld);
		layout_free(lay);
		return NULL;
	}
	ld_free(&ld);
	return lay;
}

struct layout *
layout_load(const char *name_or_path)
{
	struct layout	*lay = NULL;
	struct ld	 ld;
	struct buf	 b;
	char		*path = NULL, *file;
	size_t		 len;

	len = strlen(name_or_path);
	if (strchr(name_or_path, '/') != NULL ||
	    (len > 4 && strcmp(name_or_path + len - 4, ".xml") == 0))
		path = xstrdup(name_or_path);
	else {
		ld_init(&ld, name_or_path, DIAG_BAD_LAYOUT);
		if (!good_name(name_or_path))
			ld_err(&ld, 0, "%s", "a layout name has only letters, "
			    "digits, - and _ (or give a path)");
		else {
			xasprintf(&file, "%s.xml", name_or_path);
			path = find_data(file);
			free(file);
			if (path == NULL)
				ld_err(&ld, 0, "no such layout in %s or %s",
				    LAYOUTDIR, SRCLAYOUTDIR);
		}
		ld_free(&ld);
		if (ld.nerr > 0)
			return NULL;
	}

	ld_init(&ld, path, DIAG_BAD_LAYOUT);
	buf_init(&b);
	if (read_whole(&ld, path, &b) == 0)
		lay = layout_build(path, b.p, b.len);
	buf_free(&b);
	ld_free(&ld);
	free(path);
	return lay;
}

/*
 * A layout held in memory, named name in messages: the fuzzer's way in,
 * with exactly the checks of a layout file.
 */
struct layout *
layout_load_memory(const char *name, const char *buf, size_t len)
{
	return layout_build(name, buf, len);
}

void
layout_free(struct layout *lay)
{
	if (lay == NULL)
		return;
	arena_free(&lay->arena);
	free(lay);
}

/* --- school files ------------------------------------------------- */

static char *
school_text(xmlNodePtr n, const char *name, struct arena *a)
{
	xmlNodePtr	 c;

	if ((c = child(n, SCHOOL_NS, name)) == NULL)
		return NULL;
	return xstrdup(content(a, c));
}

static void
read_school(struct ld *ld, xmlNodePtr n, struct school_info *s)
{
	xmlNodePtr	 a, c;
	const char	*v;
	size_t		 k = 0;

	if ((v = get_attr(ld, n, "uai")) == NULL) {
		ld_err(ld, node_line(n), "%s", "<school> without uai");
		v = "";
	}
	s->uai = xstrdup(v);
	s->name = school_text(n, "name", &ld->scratch);
	if ((a = child(n, SCHOOL_NS, "address")) != NULL)
		for (c = a->children; c != NULL; c = c->next)
			if (is_elem(c, SCHOOL_NS, "line") && k < 3)
				s->address[k++] = xstrdup(content(&ld->scratch,
				    c));
	s->postcode = school_text(n, "postcode", &ld->scratch);
	s->city = school_text(n, "city", &ld->scratch);
	s->place = school_text(n, "place", &ld->scratch);
	s->ent_url = school_text(n, "ent-url", &ld->scratch);
	s->contact = school_text(n, "contact", &ld->scratch);
	s->signature = school_text(n, "signature", &ld->scratch);
	s->return_address = school_text(n, "return-address", &ld->scratch);
	s->phone = school_text(n, "phone", &ld->scratch);
	s->mail = school_text(n, "mail", &ld->scratch);
	if (s->name == NULL || s->ent_url == NULL || s->contact == NULL ||
	    s->signature == NULL || s->return_address == NULL ||
	    s->postcode == NULL || s->city == NULL || s->place == NULL || k == 0)
		ld_err(ld, node_line(n), "%s", "school without name, address, "
		    "postcode, city, place, ent-url, contact, signature or "
		    "return-address");
}

/* Validate and read a parsed school file; the tree is freed here. */
static int
school_file_build(struct ld *ld, struct school_file *sf, xmlDocPtr doc)
{
	xmlNodePtr	 root, n;
	size_t		 k, i;

	if (ld_validate(ld, doc, "school.rng") == 0) {
		root = xmlDocGetRootElement(doc);
		k = 0;
		for (n = root->children; n != NULL; n = n->next)
			if (is_elem(n, SCHOOL_NS, "school"))
				k++;
		sf->v = xcalloc(k, sizeof(*sf->v));
		for (n = root->children; n != NULL; n = n->next) {
			if (!is_elem(n, SCHOOL_NS, "school"))
				continue;
			read_school(ld, n, &sf->v[sf->n]);
			for (i = 0; i < sf->n; i++)
				if (strcasecmp(sf->v[i].uai,
				    sf->v[sf->n].uai) == 0)
					ld_err(ld, node_line(n), "school %s "
					    "described twice", sf->v[i].uai);
			sf->n++;
		}
	}
	xmlFreeDoc(doc);
	if (ld->nerr > 0) {
		school_file_free(sf);
		return -1;
	}
	return 0;
}

int
school_file_load(struct school_file *sf, const char *path)
{
	struct ld	 ld;
	xmlDocPtr	 doc;
	int		 ret;

	memset(sf, 0, sizeof(*sf));
	xmlInitParser();
	ld_init(&ld, path, DIAG_BAD_SCHOOLFILE);
	if ((doc = ld_parse(&ld, path)) == NULL) {
		ld_free(&ld);
		return -1;
	}
	ret = school_file_build(&ld, sf, doc);
	ld_free(&ld);
	return ret;
}

/* A school file held in memory, named name in messages (the fuzzer). */
int
school_file_load_memory(struct school_file *sf, const char *name,
    const char *buf, size_t len)
{
	struct ld	 ld;
	xmlDocPtr	 doc;
	int		 ret;

	memset(sf, 0, sizeof(*sf));
	xmlInitParser();
	ld_init(&ld, name, DIAG_BAD_SCHOOLFILE);
	if ((doc = ld_parse_mem(&ld, name, buf, len)) == NULL) {
		ld_free(&ld);
		return -1;
	}
	ret = school_file_build(&ld, sf, doc);
	ld_free(&ld);
	return ret;
}

void
school_file_free(struct school_file *sf)
{
	struct school_info	*s;
	size_t			 i, k;

	for (i = 0; i < sf->n; i++) {
		s = &sf->v[i];
		free(s->uai);
		free(s->name);
		for (k = 0; k < 3; k++)
			free(s->address[k]);
		free(s->postcode);
		free(s->city);
		free(s->place);
		free(s->ent_url);
		free(s->contact);
		free(s->signature);
		free(s->return_address);
		free(s->phone);
		free(s->mail);
	}
	free(sf->v);
	sf->v = NULL;
	sf->n = 0;
}

/* UAIs are compared without case: exports are not consistent. */
const struct school_info *
school_file_find(const struct school_file *sf, const char *uai)
{
	size_t	 i;

	if (sf == NULL || uai == NULL)
		return NULL;
	for (i = 0; i < sf->n; i++)
		if (strcasecmp(sf->v[i].uai, uai) == 0)
			return &sf->v[i];
	return NULL;
}
