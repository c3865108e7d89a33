/*
 * cmd_compile: `entpress compile`, the main job, and the print run it
 * shares with `entpress reissue` (cmd_print).
 *
 *	read -> ledger -> select -> batch -> (issue codes, compose, emit)
 *	     -> CSV, LDIF -> manifest -> ledger commit -> outputs renamed
 *
 * Every output is written under a temporary name first.  The ledger
 * transaction that records the new logins, codes and serials is
 * committed only once every output is complete on disk, and the outputs
 * are renamed to their final names only after that commit: a run that
 * fails or is killed issues nothing and leaves the previous files alone.
 *
 * The manifest (--manifest) is the last output: it needs the SHA-256 of
 * every other one, and of the bytes of each letter's pages, which are
 * read back from the finished temporary files; its own SHA-256 goes
 * into the ledger in the same transaction as the codes.
 *
 * Codes exist in clear only in the code blocks of this run, from the
 * moment they are drawn to the moment the CSV and LDIF are written; the
 * blocks are wiped (cred_wipe) before they are freed, and core dumps
 * are turned off while they exist.
 */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "cmd.h"
#include "compose.h"
#include "credentials.h"
#include "diag.h"
#include "progress.h"
#include "directory.h"
#include "emit_pdf.h"
#include "emit_ps.h"
#include "export.h"
#include "layout.h"
#include "ledger.h"
#include "manifest.h"
#include "mem.h"
#include "outw.h"
#include "select.h"
#include "text.h"

/*
 * The print outputs of the run: one or two files (a PostScript for the
 * print shop and a PDF for the archive), fed the same pages.
 */
struct runout {
	const char	*path;
	int		 pdf;
	int		 open;		/* w holds a temporary file */
	struct outw	 w;
	struct emit_ps	*ps;
	struct emit_pdf	*pdfw;
	uint64_t	*pstart;	/* byte offset of each page, and */
	uint64_t	*pend;		/* of its end (the manifest's ranges) */
	size_t		 npages, cap;
};

struct backend {
	struct runout	*v;
	int		 n;
};

/*
 * Every page to every output, noting where its bytes start and end in
 * each (the writer's count): a letter's byte range is from the start of
 * its first page to the end of its last.  The back ends write nothing
 * between pages; the PostScript prolog goes out with the first page and
 * so counts in its range, as the forms do in PDF.  The PDF back end
 * writes a page a few pages later and tells its range then (pdf_range).
 */
static int
emit_page(void *arg, const struct pg_page *p)
{
	struct backend	*b = arg;
	struct runout	*r;
	int		 i, ret = 0;

	for (i = 0; i < b->n; i++) {
		r = &b->v[i];
		if (r->npages == r->cap) {
			r->cap = r->cap == 0 ? 1024 : r->cap * 2;
			r->pstart = xreallocarray(r->pstart, r->cap,
			    sizeof(*r->pstart));
			r->pend = xreallocarray(r->pend, r->cap,
			    sizeof(*r->pend));
		}
		if (r->pdf) {
			r->npages++;
			if (emit_pdf_page(r->pdfw, p) != 0)
				ret = -1;
			continue;
		}
		r->pstart[r->npages] = r->w.count;
		if (emit_ps_page(r->ps, p) != 0)
			ret = -1;
		r->pend[r->npages++] = r->w.count;
	}
	return ret;
}

static void
pdf_range(void *arg, size_t k, uint64_t start, uint64_t end)
{
	struct runout	*r = arg;

	if (k < r->npages) {
		r->pstart[k] = start;
		r->pend[k] = end;
	}
}

/* Is s a valid YYYY-MM-DD date? */
static int
valid_ymd(const char *s)
{
	int	 y, m, d;
	char	 tail;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	return y >= 2000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31 && s[4] == '-' && s[7] == '-';
}

/*
 * The printed date: --date, else SOURCE_DATE_EPOCH (reproducible
 * builds' convention), else today in UTC, never the local zone.
 */
int
cmd_run_date(const struct cmd_opts *o, char out[11])
{
	const char	*sde;
	time_t		 t;
	struct tm	 tm;
	char		*end;
	long long	 v;

	if (o->date != NULL) {
		if (!valid_ymd(o->date)) {
			diag(DIAG_BAD_ARG, NULL, "--date %s: expected YYYY-MM-DD",
			    o->date);
			return -1;
		}
		memcpy(out, o->date, 11);
		return 0;
	}
	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL && *sde != '\0') {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0) {
			diag(DIAG_BAD_ARG, NULL, "SOURCE_DATE_EPOCH=%s", sde);
			return -1;
		}
		t = (time_t)v;
	} else
		t = time(NULL);
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	strftime(out, 11, "%Y-%m-%d", &tm);
	return 0;
}

/* date + days, as YYYY-MM-DD (UTC arithmetic, no time zone). */
void
cmd_add_days(const char *ymd, int days, char out[11])
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The command line for the ledger's run record: no secret can be in it. */
static char *
command_line(const struct cmd_opts *o)
{
	struct buf	 b;
	int		 i;

	buf_init(&b);
	buf_adds(&b, "entpress ");
	buf_adds(&b, o->command != NULL ? o->command : "compile");
	for (i = 0; i < o->argc; i++) {
		buf_addc(&b, ' ');
		buf_adds(&b, o->argv[i]);
	}
	return b.p;
}

/*
 * Codes of the run, 9 bytes each, in blocks that are wiped.  A code's
 * address is kept by the letter and by the CSV and LDIF rows until the
 * end of the run, so it never moves: a full block is followed by a new
 * one, never copied (a run past 1,024 codes used to read the CSV's codes
 * from a buffer already freed).
 */
#define CODEBLOCK	1024

struct codeblock {
	struct codeblock	*next;
	char			 v[CODEBLOCK * (CRED_CODE_LEN + 1)];
};

struct codebuf {
	struct codeblock	*head;		/* newest first */
	size_t			 used;		/* codes in head */
};

static char *
codebuf_new(struct codebuf *cb)
{
	struct codeblock	*b;

	if (cb->head == NULL || cb->used == CODEBLOCK) {
		b = xcalloc(1, sizeof(*b));
		b->next = cb->head;
		cb->head = b;
		cb->used = 0;
	}
	return cb->head->v + (cb->used++) * (CRED_CODE_LEN + 1);
}

static void
codebuf_wipe(struct codebuf *cb)
{
	struct codeblock	*b;

	while ((b = cb->head) != NULL) {
		cb->head = b->next;
		cred_wipe(b->v, sizeof(b->v));
		free(b);
	}
	memset(cb, 0, sizeof(*cb));
}

/* What the exports need of each account, in run order. */
struct rows {
	struct export_row	*v;
	size_t			 n, cap;
	struct arena		 a;		/* class lists */
};

static void
rows_add(struct rows *r, const struct dir_person *p, const char *login,
    const char *code)
{
	struct export_row	*e;
	struct buf		 b;
	uint32_t		 i, j;

	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 256 : r->cap * 2;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	e = &r->v[r->n++];
	memset(e, 0, sizeof(*e));
	e->id = p->id;
	e->profile = (enum dir_profile)p->profile;
	e->last_name = p->last_name;
	e->first_name = p->first_name;
	e->login = arena_strdup(&r->a, login);
	e->code = code;
	e->mail = p->mail;
	buf_init(&b);
	if (p->profile == PROFILE_PARENT) {
		for (i = 0; i < p->nchildren; i++)
			for (j = 0; j < p->children[i].student->ncls; j++) {
				if (b.len > 0)
					buf_addc(&b, ',');
				buf_adds(&b,
				    p->children[i].student->cls[j]->code);
			}
	} else
		for (i = 0; i < p->ncls; i++) {
			if (b.len > 0)
				buf_addc(&b, ',');
			buf_adds(&b, p->cls[i]->code);
		}
	e->classes = b.len > 0 ? arena_strdup(&r->a, b.p) : NULL;
	buf_free(&b);
}

/* Outline titles: "0699990Z Collège des Trois Rivières". */
static void
school_title(struct buf *b, const struct school_file *sf,
    const struct dir_school *s)
{
	const struct school_info	*si;

	buf_reset(b);
	si = sf != NULL && s != NULL && s->uai != NULL ?
	    school_file_find(sf, s->uai) : NULL;
	buf_printf(b, "%s %s", s != NULL && s->uai != NULL ? s->uai : "-",
	    si != NULL && si->name != NULL ? si->name :
	    s != NULL && s->name != NULL ? s->name : "");
}

static const char *const section_marks[SECTION__MAX] = {
	"Élèves par classe", "Personnels", "Courrier aux parents"
};

/* What the letters of a run need beside the batch. */
struct runctx {
	struct cmd_opts		*o;
	struct ledger		*l;
	struct cred_rng		*rng;
	struct compose		*c;		/* NULL: exports only */
	const struct school_file *sf;
	const char		*expires;
	int			 reissue;	/* letters only */
	struct rows		*rows;
	struct codebuf		*codes;
	struct manifest		*m;		/* NULL without --manifest */
};

static const char *const way_names[SECTION__MAX] = {
	"class", "staff", "post"
};

/* The manifest's entry for a letter whose codes are issued. */
static void
manifest_letter(struct runctx *x, const struct batch_group *g,
    const struct compose_letter *cl, const struct ledger_acct *la)
{
	struct manifest		*m = x->m;
	struct manifest_letter	*ml;
	const struct letter	*lt = cl->letter;
	const struct dir_person	*p;
	struct buf		 b;
	uint32_t		 j;
	size_t			 i;

	ml = manifest_letter_add(m);
	ml->serial = manifest_strdup(m, cl->serial);
	buf_init(&b);
	/* The page label compose printed: 4B-017. */
	buf_printf(&b, "%.30s-%03u", g->label, lt->seq);
	ml->label = manifest_strdup(m, b.p);
	ml->section = batch_section_name(g->section);
	ml->group = manifest_strdup(m, g->label);
	ml->way = way_names[lt->posted ? SECTION_MAIL : g->section];
	ml->replaces = manifest_strdup(m, cl->replaces);
	ml->first_page = cl->first_page;
	ml->last_page = cl->last_page;
	ml->naccounts = lt->naccounts;
	ml->accounts = arena_calloc(&m->a, lt->naccounts + 1,
	    sizeof(*ml->accounts));
	for (j = 0; j < lt->naccounts; j++) {
		p = lt->accounts[j];
		ml->accounts[j].login = manifest_strdup(m, la[j].login);
		buf_reset(&b);
		buf_printf(&b, "%s%s%s", p->first_name != NULL ?
		    p->first_name : "", p->first_name != NULL &&
		    p->last_name != NULL ? " " : "", p->last_name != NULL ?
		    p->last_name : "");
		ml->accounts[j].name = manifest_strdup(m, b.p != NULL ?
		    b.p : "");
		ml->accounts[j].profile = dir_profile_name(p->profile);
		memcpy(ml->accounts[j].fp, la[j].fp, CRED_FP_LEN);
	}
	if (lt->posted) {
		ml->naddress = lt->addr.nlines;
		ml->address = arena_calloc(&m->a, lt->addr.nlines + 1,
		    sizeof(*ml->address));
		for (i = 0; i < lt->addr.nlines; i++)
			ml->address[i] = manifest_strdup(m, lt->addr.line[i]);
	}
	buf_free(&b);
}

/*
 * The codes of one letter: an account that held a code before (an
 * expired one in a compile, any in a reissue) gets a letter that says
 * which one it replaces.  An account the ENT reports activated is only
 * reissued when asked by name, and is then inactive again: the new code
 * is not used yet.
 */
static int
issue_letter(struct runctx *x, const struct letter *lt, char **serial,
    struct compose_account *acc, struct ledger_acct *la, char **replaces)
{
	struct diag_pos	 pos;
	char		*code;
	uint32_t	 j;
	int		 rc;

	for (j = 0; j < lt->naccounts; j++) {
		rc = ledger_account(x->l, lt->accounts[j], &la[j]);
		if (rc != 0 && rc != LEDGER_CREATED)
			return -1;
		if (la[j].has_code && la[j].serial[0] != '\0' &&
		    *replaces == NULL)
			*replaces = xstrdup(la[j].serial);
		if (x->reissue && la[j].state == STATE_ACTIVE) {
			pos.file = lt->accounts[j]->src.file;
			pos.line = lt->accounts[j]->src.line;
			pos.col = 0;
			diag(DIAG_REISSUE_ACTIVE, &pos, "%s", la[j].login);
			if (ledger_set_state(x->l, la[j].login,
			    STATE_INACTIVE) != 0)
				return -1;
		}
		code = codebuf_new(x->codes);
		/* One serial per letter, shared by its accounts. */
		if (ledger_issue(x->l, &la[j], x->rng, code,
		    lt->school != NULL ? lt->school->uai : NULL, x->expires,
		    *serial) != 0)
			return -1;
		if (*serial == NULL)
			*serial = xstrdup(la[j].serial);
		acc[j].person = lt->accounts[j];
		acc[j].login = arena_strdup(&x->rows->a, la[j].login);
		acc[j].code = code;
		rows_add(x->rows, lt->accounts[j], la[j].login, code);
	}
	return 0;
}

/*
 * Issue, compose and emit every letter of the run.  Returns 0 or -1;
 * rows and codes are filled for the exports, the ledger and the
 * manifest learn each letter.  A reissue prints the letters alone: no
 * separator, cover sheet, hand-over list or deposit summary for one or
 * two letters.
 */
static int
run_letters(struct runctx *x, const struct batch_run *r)
{
	struct compose		*c = x->c;
	struct compose_account	*acc = NULL;
	struct compose_letter	 cl;
	struct ledger_acct	*la = NULL;
	struct ledger_letter	 ll;
	const struct batch_group *g;
	const struct letter	*lt;
	const struct dir_school	*last_school = NULL;
	char			**serials = NULL, *replaces;
	struct buf		 t;
	size_t			 i, k, nsec = 0, maxacc = 0;
	int			 sec = -1, s, ret = 0, aux;

	aux = c != NULL && !x->reissue;
	for (s = 0; s < SECTION__MAX; s++)
		if (r->nletters[s] > 0)
			nsec++;
	buf_init(&t);
	for (i = 0; i < r->ngroups && ret == 0; i++) {
		g = &r->groups[i];
		if (g->nletters == 0)
			continue;
		if (c != NULL && (int)g->section != sec) {
			sec = (int)g->section;
			last_school = NULL;
			compose_flush(c);
			compose_mark(c, 0, section_marks[sec]);
			if (aux && nsec > 1)
				compose_separator(c, g->section, r);
		}
		if (c != NULL && g->section != SECTION_MAIL &&
		    g->school != last_school) {
			school_title(&t, x->sf, g->school);
			compose_mark(c, 1, t.p);
			last_school = g->school;
		}
		if (c != NULL && g->section == SECTION_CLASS)
			compose_mark(c, 2, g->cls != NULL ? g->cls->code :
			    g->label);
		if (aux && g->section != SECTION_MAIL)
			compose_cover(c, g);
		serials = xcalloc(g->nletters, sizeof(*serials));
		for (k = 0; k < g->nletters && ret == 0; k++) {
			lt = &g->letters[k];
			if (lt->naccounts > maxacc) {
				maxacc = lt->naccounts;
				acc = xreallocarray(acc, maxacc, sizeof(*acc));
				la = xreallocarray(la, maxacc, sizeof(*la));
			}
			replaces = NULL;
			if (issue_letter(x, lt, &serials[k], acc, la,
			    &replaces) != 0) {
				free(replaces);
				ret = -1;
				break;
			}
			memset(&cl, 0, sizeof(cl));
			cl.letter = lt;
			cl.group = g;
			cl.accounts = acc;
			cl.serial = serials[k];
			cl.valid_until = x->expires;
			cl.replaces = replaces;
			if (c != NULL && compose_letter(c, &cl) != 0)
				ret = -1;
			memset(&ll, 0, sizeof(ll));
			ll.serial = serials[k];
			ll.section = batch_section_name(g->section);
			ll.group = g->label;
			ll.way = way_names[lt->posted ? SECTION_MAIL :
			    g->section];
			ll.first_page = cl.first_page;
			ll.last_page = cl.last_page;
			ll.replaces = replaces;
			if (ret == 0 && ledger_letter_add(x->l, &ll) != 0)
				ret = -1;
			if (ret == 0 && x->m != NULL)
				manifest_letter(x, g, &cl, la);
			free(replaces);
		}
		if (c != NULL) {
			compose_flush(c);
			if (aux && ret == 0 && g->section != SECTION_MAIL)
				compose_handover(c, g, serials);
			if (aux && ret == 0 && g->section == SECTION_MAIL)
				compose_deposit(c, r);
		}
		for (k = 0; k < g->nletters; k++)
			free(serials[k]);
		free(serials);
		serials = NULL;
	}
	free(acc);
	free(la);
	buf_free(&t);
	if (c != NULL) {
		compose_flush(c);
		if (c->err != 0)
			ret = -1;
	}
	return ret;
}

/*
 * A compile issues codes for accounts that need one: never a second
 * code over a valid one (the letter may be in the post; replacing a
 * lost letter is `reissue`'s job, which says so), never a code for an
 * account the ENT reports activated.  Accounts with an expired code get
 * a new one.  What is left out is said once, not per account.
 */
static int
keep_unissued(struct ledger *l, struct selection *sel, const char *today,
    int quiet)
{
	struct ledger_acct	 a;
	struct buf		 key;
	size_t			 i, n = 0, held = 0, active = 0;
	int			 rc;

	buf_init(&key);
	for (i = 0; i < sel->n; i++) {
		ledger_acct_key(&key, sel->v[i]);
		rc = ledger_lookup(l, key.p, &a);
		if (rc != 0 && rc != LEDGER_NOTFOUND) {
			buf_free(&key);
			return -1;
		}
		if (rc == 0 && a.state == STATE_ACTIVE) {
			active++;
			continue;
		}
		if (rc == 0 && a.has_code && a.state != STATE_EXPIRED &&
		    (a.expires[0] == '\0' || strcmp(a.expires, today) >= 0)) {
			held++;
			continue;
		}
		sel->v[n++] = sel->v[i];
	}
	sel->n = n;
	buf_free(&key);
	if (!quiet && (held > 0 || active > 0))
		fprintf(stderr, "entpress: %zu accounts left out: %zu already "
		    "hold a valid code (entpress reissue replaces a lost "
		    "letter), %zu are activated\n", held + active, held,
		    active);
	return 0;
}

/* PostScript or PDF: --format, else the file name's extension. */
static int
output_format(const struct cmd_opts *o, const char *path, int *pdf)
{
	const char	*dot;

	if (o->format != NULL) {
		if (strcmp(o->format, "ps") == 0)
			*pdf = 0;
		else if (strcmp(o->format, "pdf") == 0)
			*pdf = 1;
		else {
			diag(DIAG_BAD_ARG, NULL, "--format %s: ps or pdf",
			    o->format);
			return -1;
		}
		return 0;
	}
	dot = strrchr(path, '.');
	if (dot != NULL && strcasecmp(dot, ".pdf") == 0)
		*pdf = 1;
	else if (dot != NULL && strcasecmp(dot, ".ps") == 0)
		*pdf = 0;
	else {
		diag(DIAG_BAD_ARG, NULL, "-o %s: name it .ps or .pdf, or give "
		    "--format", path);
		return -1;
	}
	return 0;
}

static void
outs_abort(struct runout *v, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (v[i].open) {
			outw_abort(&v[i].w);
			v[i].open = 0;
		}
}

/* The selection of the run, for the manifest. */
static void
manifest_selection(struct manifest *m, const struct cmd_opts *o,
    const struct cmd_print *pr)
{
	const struct sel_opts	*s = &o->sel;
	struct manifest_opt	*mo;
	size_t			 i;
	int			 p;
	static const char *const states[] = {
		"inactive", "active", "expired", "all"
	};
	static const char *const origins[] = { "all", "aaf", "manual" };
	static const char *const relatives[] = { "legal1", "legal12", "all" };

	if (pr->logins != NULL) {
		mo = manifest_opt_add(m, "login", 0);
		for (i = 0; i < pr->nlogins; i++)
			manifest_opt_value(m, mo, pr->logins[i]);
	} else {
		mo = manifest_opt_add(m, "profile", 0);
		for (p = 0; p < PROFILE__MAX; p++)
			if (s->profiles & (1u << p))
				manifest_opt_value(m, mo, dir_profile_name(
				    (enum dir_profile)p));
		mo = manifest_opt_add(m, "level", 0);
		for (i = 0; i < s->nlevels; i++)
			manifest_opt_value(m, mo, s->levels[i]);
		mo = manifest_opt_add(m, "class", 0);
		for (i = 0; i < s->nclasses; i++)
			manifest_opt_value(m, mo, s->classes[i]);
		mo = manifest_opt_add(m, "school", 0);
		for (i = 0; i < s->nschools; i++)
			manifest_opt_value(m, mo, s->schools[i]);
		mo = manifest_opt_add(m, "state", 1);
		manifest_opt_value(m, mo, states[s->state]);
		mo = manifest_opt_add(m, "origin", 1);
		manifest_opt_value(m, mo, origins[s->origin]);
	}
	mo = manifest_opt_add(m, "relatives", 1);
	manifest_opt_value(m, mo, relatives[s->relatives]);
	mo = manifest_opt_add(m, "batch", 0);
	for (p = 0; p < SECTION__MAX; p++)
		if (pr->batch == 0 || (pr->batch & (1u << p)))
			manifest_opt_value(m, mo, batch_section_name(
			    (enum batch_section)p));
}

/* An output finished under its temporary name, into the manifest. */
static int
manifest_file(struct manifest *m, const char *manifest_path,
    const struct outw *w, const char *kind, struct cred_range *r, size_t n)
{
	struct manifest_file	*f;
	struct buf		 b;

	f = manifest_output_add(m);
	f->kind = kind;
	buf_init(&b);
	if (manifest_relpath(manifest_path, w->path, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	f->name = manifest_strdup(m, b.p);
	buf_free(&b);
	return cred_sha256_file(w->tmp, f->sha256, &f->size, r, n);
}

/*
 * The byte ranges of the letters in print output i, hashed from the
 * finished file in one read, and the output itself.
 */
static int
manifest_print_output(struct manifest *m, const char *manifest_path,
    struct runout *ro, size_t i)
{
	struct manifest_letter	*ml;
	struct cred_range	*r;
	size_t			 k, n = 0;
	int			 ret;

	r = xcalloc(m->nletters + 1, sizeof(*r));
	for (k = 0; k < m->nletters; k++) {
		ml = &m->letters[k];
		if (ml->first_page == 0 || ml->last_page > ro->npages)
			continue;
		r[n].start = ro->pstart[ml->first_page - 1];
		r[n].end = ro->pend[ml->last_page - 1];
		n++;
	}
	ret = manifest_file(m, manifest_path, &ro->w, ro->pdf ? "pdf" : "ps",
	    r, n);
	m->outputs[m->noutputs - 1].pages = (uint32_t)ro->npages;
	for (k = n = 0; ret == 0 && k < m->nletters; k++) {
		ml = &m->letters[k];
		if (ml->first_page == 0 || ml->last_page > ro->npages)
			continue;
		ml->range[i] = r[n++];
	}
	free(r);
	return ret;
}

/* Every input file, with its digest: what the run was made from. */
static int
manifest_inputs(struct manifest *m, const struct cmd_opts *o)
{
	struct manifest_file	*f;
	size_t			 i;

	for (i = 0; i < o->ninputs; i++) {
		f = manifest_input_add(m);
		f->name = manifest_strdup(m, o->inputs[i].path);
		f->kind = o->inputs[i].kind;
		if (cred_sha256_file(o->inputs[i].path, f->sha256, &f->size,
		    NULL, 0) != 0)
			return -1;
	}
	return 0;
}

/* The export operands, absolute, one a line: the ledger's runs.inputs. */
static char *
inputs_line(char *const *paths, size_t n)
{
	struct buf	 b;
	char		*real;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if ((real = realpath(paths[i], NULL)) == NULL)
			continue;	/* cmd_load said so */
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_adds(&b, real);
		free(real);
	}
	return b.p;
}

/*
 * Before anything is issued: a layout that prints the ENT address, who
 * to call or who signs takes them from the school file, and a school
 * without an entry there would get letters that do not say where to log
 * in.  Said once per school.  A real run stops here, with nothing issued
 * and no file written; a test run (codes never handed out) goes on.
 */
static int
school_info_ok(const struct cmd_opts *o, const struct cmd_print *pr)
{
	const struct dir_school	*s;
	const struct letter	*lt;
	struct hmap		 seen;
	size_t			 i, j, k;
	int			 missing = 0;

	if (o->noutputs == 0 || !compose_needs_school_file(pr->lay))
		return 0;
	hmap_init(&seen);
	for (i = 0; i < pr->nruns; i++)
		for (j = 0; j < pr->runs[i].ngroups; j++)
			for (k = 0; k < pr->runs[i].groups[j].nletters; k++) {
				lt = &pr->runs[i].groups[j].letters[k];
				s = lt->school;
				if (s != NULL && s->uai != NULL &&
				    pr->sf != NULL &&
				    school_file_find(pr->sf, s->uai) != NULL)
					continue;
				if (hmap_get(&seen, s != NULL && s->uai !=
				    NULL ? s->uai : "") != NULL)
					continue;
				hmap_put(&seen, s != NULL && s->uai != NULL ?
				    s->uai : "", (void *)1);
				missing = 1;
				diag(o->test_mode ? DIAG_NO_SCHOOL_INFO :
				    DIAG_NEED_SCHOOL_INFO, NULL, "%s%s%s%s",
				    s != NULL && s->uai != NULL ? s->uai :
				    "(no school)", s != NULL && s->name !=
				    NULL ? " " : "", s != NULL && s->name !=
				    NULL ? s->name : "", pr->sf == NULL ||
				    pr->sf->n == 0 ? " (no --school-info)" :
				    "");
			}
	hmap_free(&seen);
	return missing && !o->test_mode ? -1 : 0;
}

/*
 * The run itself, shared by compile and reissue: the ledger transaction,
 * the print outputs, the CSV and LDIF, the manifest, the commit, and
 * the outputs' names.  Returns 0 or -1 (diagnosed); the ledger is left
 * without an open run either way.
 */
int
cmd_print(struct cmd_opts *o, struct cmd_print *pr)
{
	struct runctx		 x;
	struct runout		 outs[2];
	struct backend		 be;
	struct compose		 c;
	struct pg_docinfo	 di;
	struct rows		 rows;
	struct codebuf		 codes;
	struct export_ldif_opts	 lo;
	struct emit_pdf_opts	 po;
	struct outw		 wcsv, wldif, wman;
	struct manifest		 man;
	struct cred_rng		 rng;
	uint8_t			 sha[CRED_SHA256_LEN];
	char			 expires[11], hex[CRED_SHA256_HEXLEN];
	char			*cmdline = NULL, *inputs = NULL;
	const struct layout	*lay = pr->lay;
	uint32_t		 nletters[SECTION__MAX];
	size_t			 i, j;
	uint64_t		 total;
	double			 secs;
	int			 ret = -1, have_csv = 0, have_ldif = 0;
	int			 have_man = 0, composed = 0;

	memset(&rows, 0, sizeof(rows));
	memset(&codes, 0, sizeof(codes));
	memset(&be, 0, sizeof(be));
	memset(outs, 0, sizeof(outs));
	memset(nletters, 0, sizeof(nletters));
	memset(&rng, 0, sizeof(rng));
	arena_init(&rows.a);
	manifest_init(&man);
	be.v = outs;
	be.n = o->noutputs;
	cmd_add_days(pr->date, o->valid_days, expires);
	if (o->test_mode)
		cred_rng_seed(&rng, o->seed);
	else
		cred_rng_random(&rng);

	memset(&x, 0, sizeof(x));
	x.o = o;
	x.l = pr->l;
	x.rng = &rng;
	x.sf = pr->sf;
	x.expires = expires;
	x.reissue = pr->logins != NULL;
	x.rows = &rows;
	x.codes = &codes;
	x.m = o->manifest != NULL ? &man : NULL;
	for (i = 0; i < (size_t)o->noutputs; i++) {
		outs[i].path = o->outputs[i];
		if (output_format(o, outs[i].path, &outs[i].pdf) != 0)
			goto out;
	}

	if (school_info_ok(o, pr) != 0)
		goto out;
	cmdline = command_line(o);
	if (ledger_run_begin(pr->l, pr->date, cmdline) != 0)
		goto out;
	inputs = inputs_line(pr->inputs, pr->ninputs);
	if (ledger_run_inputs(pr->l, inputs) != 0)
		goto out_rollback;
	if (x.m != NULL) {
		man.run = ledger_run_id(pr->l);
		man.command = cmdline;
		man.date = pr->date;
		man.valid_until = expires;
		man.layout = lay->name;
		man.test_mode = o->test_mode;
		manifest_selection(&man, o, pr);
	}

	/* The print run, streamed page by page into every output. */
	memset(&di, 0, sizeof(di));
	di.title = "Identifiants ENT";
	di.creator = "entpress " PACKAGE_VERSION;
	di.date = pr->date;
	di.duplex = lay->duplex;
	di.fonts_used = compose_fonts(lay);
	di.encs_used = 0x7;
	memset(&po, 0, sizeof(po));
	po.pdfa = o->pdfa;
	for (i = 0; i < (size_t)o->noutputs; i++) {
		if (outw_open(&outs[i].w, outs[i].path) != 0)
			goto out_rollback;
		outs[i].open = 1;
		if (outs[i].pdf) {
			outs[i].pdfw = emit_pdf_begin(&outs[i].w, &di, &po);
			if (outs[i].pdfw == NULL)
				goto out_rollback;
			emit_pdf_on_range(outs[i].pdfw, pdf_range, &outs[i]);
		} else
			outs[i].ps = emit_ps_begin(&outs[i].w, &di);
	}
	if (o->noutputs > 0) {
		compose_init(&c, lay, pr->sf, pr->date, emit_page, &be);
		composed = 1;
		x.c = &c;
	}
	for (j = 0, total = 0; j < pr->nruns; j++)
		for (i = 0; i < SECTION__MAX; i++)
			total += pr->runs[j].nletters[i];
	progress_phase(PHASE_PRINT, total);
	for (j = 0, ret = 0; j < pr->nruns && ret == 0; j++) {
		ret = run_letters(&x, &pr->runs[j]);
		for (i = 0; i < SECTION__MAX; i++)
			nletters[i] += pr->runs[j].nletters[i];
	}
	if (composed) {
		for (i = 0; i < (size_t)o->noutputs; i++)
			if ((outs[i].pdf ? emit_pdf_end(outs[i].pdfw) :
			    emit_ps_end(outs[i].ps)) != 0)
				ret = -1;
		/*
		 * The summary for the person who ran it; the time makes it
		 * the one line of a run that is not reproducible, so it is
		 * never part of a golden (tests run with -q).
		 */
		secs = progress_done();
		if (!o->quiet && ret == 0)
			fprintf(stderr, "entpress: %s: %u %s (%u blank), "
			    "%u %s: %u by class, %u staff, %u posted in %u "
			    "%s; %.1f s\n", outs[0].path, c.stats.pages,
			    c.stats.pages == 1 ? "page" : "pages",
			    c.stats.blank, c.stats.letters,
			    c.stats.letters == 1 ? "letter" : "letters",
			    nletters[SECTION_CLASS], nletters[SECTION_STAFF],
			    nletters[SECTION_MAIL], nletters[SECTION_MAIL],
			    nletters[SECTION_MAIL] == 1 ? "envelope" :
			    "envelopes", secs);
		compose_free(&c);
	}
	if (ret != 0)
		goto out_rollback;
	ret = -1;
	for (i = 0; i < (size_t)o->noutputs; i++)
		if (outw_finish(&outs[i].w) != 0) {
			outs[i].open = 0;	/* removed by outw */
			goto out_rollback;
		}

	/* The exports, finished under their temporary names. */
	if (o->csv != NULL) {
		if (outw_open(&wcsv, o->csv) != 0)
			goto out_rollback;
		have_csv = 1;
		if (export_csv_write(&wcsv, rows.v, rows.n,
		    o->csv_encoding) != 0) {
			have_csv = 0;	/* export_csv_write aborted it */
			goto out_rollback;
		}
	}
	if (o->ldif != NULL) {
		if (outw_open(&wldif, o->ldif) != 0)
			goto out_rollback;
		have_ldif = 1;
		export_ldif_opts_init(&lo);
		lo.base = o->ldif_base;
		lo.modify = x.reissue;
		if (o->ldif_ops > 0)
			lo.limits.ops = o->ldif_ops;
		if (o->ldif_mem > 0)
			lo.limits.mem = (size_t)o->ldif_mem;
		if (export_ldif_write(&wldif, rows.v, rows.n, &lo) != 0) {
			have_ldif = 0;
			goto out_rollback;
		}
	}
	codebuf_wipe(&codes);

	/*
	 * The manifest, last: the digests of every finished output and of
	 * each letter's bytes in them, read back from the files.
	 */
	if (x.m != NULL) {
		man.nprint = (size_t)o->noutputs;
		for (i = 0; i < (size_t)o->noutputs; i++)
			if (manifest_print_output(&man, o->manifest, &outs[i],
			    i) != 0)
				goto out_rollback;
		if ((have_csv && manifest_file(&man, o->manifest, &wcsv, "csv",
		    NULL, 0) != 0) || (have_ldif && manifest_file(&man,
		    o->manifest, &wldif, "ldif", NULL, 0) != 0) ||
		    manifest_inputs(&man, o) != 0)
			goto out_rollback;
		if (outw_open(&wman, o->manifest) != 0)
			goto out_rollback;
		if (manifest_write(&wman, &man, sha) != 0)
			goto out_rollback;	/* aborted by manifest_write */
		have_man = 1;
		cred_sha256_hex(sha, hex);
		if (ledger_run_manifest(pr->l, hex) != 0)
			goto out_rollback;
	}

	/* Every output is complete: now the codes become real. */
	if (ledger_run_commit(pr->l) != 0)
		goto out_files;
	ret = 0;
	for (i = 0; i < (size_t)o->noutputs; i++) {
		if (outs[i].open && outw_publish(&outs[i].w) != 0)
			ret = -1;
		outs[i].open = 0;
	}
	if (have_csv && outw_publish(&wcsv) != 0)
		ret = -1;
	if (have_ldif && outw_publish(&wldif) != 0)
		ret = -1;
	if (have_man && outw_publish(&wman) != 0)
		ret = -1;
	have_csv = have_ldif = have_man = 0;
	goto out;

out_rollback:
	ret = -1;
	ledger_run_rollback(pr->l);
out_files:
	ret = -1;
	outs_abort(outs, o->noutputs);
	if (have_csv)
		outw_abort(&wcsv);
	if (have_ldif)
		outw_abort(&wldif);
	if (have_man)
		outw_abort(&wman);
out:
	codebuf_wipe(&codes);
	cred_rng_wipe(&rng);
	for (i = 0; i < 2; i++) {
		free(outs[i].pstart);
		free(outs[i].pend);
	}
	free(rows.v);
	arena_free(&rows.a);
	manifest_free(&man);
	free(inputs);
	free(cmdline);
	return ret;
}

/*
 * What every run checks first: something to write, a manifest only
 * beside files (it reads them back), test mode and seed together, and
 * the date.
 */
int
cmd_print_args(const struct cmd_opts *o, char date[11])
{
	int	 i;

	if (o->noutputs == 0 && o->csv == NULL && o->ldif == NULL) {
		diag(DIAG_BAD_ARG, NULL, "%s", "nothing to write: give -o "
		    "RUN.ps|RUN.pdf, --csv or --ldif");
		return -1;
	}
	if (o->manifest != NULL) {
		for (i = 0; i < o->noutputs; i++)
			if (strcmp(o->outputs[i], "-") == 0)
				break;
		if (i < o->noutputs || strcmp(o->manifest, "-") == 0 ||
		    (o->csv != NULL && strcmp(o->csv, "-") == 0) ||
		    (o->ldif != NULL && strcmp(o->ldif, "-") == 0)) {
			diag(DIAG_BAD_ARG, NULL, "%s", "--manifest reads the "
			    "outputs back: name them, not -");
			return -1;
		}
	}
	for (i = 0; i < o->noutputs; i++) {
		int	 pdf;

		if (output_format(o, o->outputs[i], &pdf) != 0)
			return -1;
	}
	if (o->test_mode != o->seed_set) {
		diag(DIAG_BAD_ARG, NULL, "%s", "--test-mode and --seed go "
		    "together");
		return -1;
	}
	if (cmd_run_date(o, date) != 0)
		return -1;
	if (cred_init() != 0 || text_init() != 0)
		return -1;
	if (o->test_mode)
		diag(DIAG_TEST_MODE, NULL, "seed %llu",
		    (unsigned long long)o->seed);
	return 0;
}

int
cmd_compile(struct cmd_opts *o)
{
	struct directory	 d;
	struct selection	 sel;
	struct batch_run	 r;
	struct batch_opts	 bo;
	struct layout		*lay = NULL;
	struct school_file	 sf;
	struct ledger		*l = NULL;
	struct cmd_print	 pr;
	char			 date[11];
	int			 ret = -1, rc;

	memset(&sel, 0, sizeof(sel));
	memset(&r, 0, sizeof(r));
	memset(&sf, 0, sizeof(sf));
	directory_init(&d);

	if (cmd_print_args(o, date) != 0)
		goto out;
	/* Codes will be in memory: no core file may carry them away. */
	cmd_no_core();

	if ((lay = layout_load(o->layout != NULL ? o->layout : "letter")) ==
	    NULL)
		goto out;
	if (o->school_info != NULL && school_file_load(&sf, o->school_info) !=
	    0)
		goto out;
	if (cmd_load(o, &d) != 0)
		goto out;
	if (ledger_open_test(&l, o->ledger != NULL ? o->ledger :
	    LEDGER_DEFAULT, LEDGER_CREATE, o->test_mode ? &o->seed : NULL) != 0 ||
	    cmd_ledger_mode_ok(o, l, o->ledger != NULL ? o->ledger :
	    LEDGER_DEFAULT) != 0)
		goto out;
	ledger_set_today(l, date);
	o->sel.state_of = ledger_state_of;
	o->sel.state_arg = l;
	/* Every account selected is looked up: one snapshot for them all. */
	if (ledger_read_begin(l) != 0)
		goto out;
	select_run(&d, &o->sel, &sel);
	rc = keep_unissued(l, &sel, date, o->quiet);
	ledger_read_end(l);
	if (rc != 0)
		goto out;

	memset(&bo, 0, sizeof(bo));
	bo.sections = o->batch;
	bo.can_post = lay->window.present;
	bo.relatives = o->sel.relatives;
	if (batch_build(&d, &sel, &bo, &r) != 0)
		goto out;

	if (r.naccounts == 0) {
		/* Do not replace a good run by an empty one. */
		diag(DIAG_NOTHING, NULL, "%s", "no file written");
		ret = 0;
		goto out;
	}

	memset(&pr, 0, sizeof(pr));
	pr.l = l;
	pr.lay = lay;
	pr.sf = &sf;
	pr.date = date;
	pr.runs = &r;
	pr.nruns = 1;
	pr.batch = o->batch;
	pr.inputs = o->args;
	pr.ninputs = (size_t)o->nargs;
	ret = cmd_print(o, &pr);
out:
	batch_free(&r);
	selection_free(&sel);
	if (l != NULL)
		ledger_close(l);
	school_file_free(&sf);
	if (lay != NULL)
		layout_free(lay);
	directory_free(&d);
	if (ret != 0)
		diag_raise(LEVEL_ERROR);
	return diag_worst();
}
