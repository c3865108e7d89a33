/*
 * cmd_compile: `entpress compile`, the main job.
 *
 *	read -> ledger -> select -> batch -> (issue codes, compose, emit)
 *	     -> CSV, LDIF -> ledger commit -> outputs renamed
 *
 * Every output is written under a temporary name first.  The ledger
 * transaction that records the new logins, codes and serials is
 * committed only once every output is complete on disk, and the outputs
 * are renamed to their final names only after that commit: a run that
 * fails or is killed issues nothing and leaves the previous files alone.
 *
 * Codes exist in clear only in one buffer of this run, from the moment
 * they are drawn to the moment the CSV and LDIF are written; the buffer
 * is wiped (cred_wipe) before it is freed, and core dumps are turned off
 * while it exists.
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
#include "directory.h"
#include "emit_pdf.h"
#include "emit_ps.h"
#include "export.h"
#include "layout.h"
#include "ledger.h"
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
};

struct backend {
	struct runout	*v;
	int		 n;
};

static int
emit_page(void *arg, const struct pg_page *p)
{
	struct backend	*b = arg;
	int		 i, ret = 0;

	for (i = 0; i < b->n; i++)
		if ((b->v[i].pdf ? emit_pdf_page(b->v[i].pdfw, p) :
		    emit_ps_page(b->v[i].ps, p)) != 0)
			ret = -1;
	return ret;
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
	buf_adds(&b, "entpress compile");
	for (i = 0; i < o->argc; i++) {
		buf_addc(&b, ' ');
		buf_adds(&b, o->argv[i]);
	}
	return b.p != NULL ? b.p : xstrdup("entpress compile");
}

/* Codes of the run, 9 bytes each, in one buffer that is wiped. */
struct codebuf {
	char	*v;
	size_t	 n, cap;
};

static char *
codebuf_new(struct codebuf *cb)
{
	char	*nv;

	if (cb->n == cb->cap) {
		/* Grow by copying, so no old copy is left unwiped by realloc. */
		cb->cap = cb->cap == 0 ? 1024 : cb->cap * 2;
		nv = xcalloc(cb->cap, CRED_CODE_LEN + 1);
		if (cb->v != NULL) {
			memcpy(nv, cb->v, cb->n * (CRED_CODE_LEN + 1));
			cred_wipe(cb->v, cb->n * (CRED_CODE_LEN + 1));
			free(cb->v);
		}
		cb->v = nv;
	}
	return cb->v + (cb->n++) * (CRED_CODE_LEN + 1);
}

static void
codebuf_wipe(struct codebuf *cb)
{
	if (cb->v != NULL) {
		cred_wipe(cb->v, cb->cap * (CRED_CODE_LEN + 1));
		free(cb->v);
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

/*
 * Issue, compose and emit every letter of the run.  Returns 0 or -1;
 * rows and codes are filled for the exports.
 */
static int
run_letters(struct cmd_opts *o, struct ledger *l, struct cred_rng *rng,
    const struct batch_run *r, struct compose *c,
    const struct school_file *sf, const char *expires, struct rows *rows,
    struct codebuf *codes)
{
	struct compose_account	*acc = NULL;
	struct compose_letter	 cl;
	struct ledger_acct	 la;
	const struct batch_group *g;
	const struct letter	*lt;
	const struct dir_school	*last_school = NULL;
	char			**serials = NULL, *code;
	struct buf		 t;
	size_t			 i, k, nsec = 0, maxacc = 0;
	int			 sec = -1, s, rc, ret = 0;
	uint32_t		 j;

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
			if (nsec > 1)
				compose_separator(c, g->section, r);
		}
		if (c != NULL && g->section != SECTION_MAIL &&
		    g->school != last_school) {
			school_title(&t, sf, g->school);
			compose_mark(c, 1, t.p);
			last_school = g->school;
		}
		if (c != NULL && g->section == SECTION_CLASS)
			compose_mark(c, 2, g->cls != NULL ? g->cls->code :
			    g->label);
		if (c != NULL && g->section != SECTION_MAIL)
			compose_cover(c, g);
		serials = xcalloc(g->nletters, sizeof(*serials));
		for (k = 0; k < g->nletters && ret == 0; k++) {
			lt = &g->letters[k];
			if (lt->naccounts > maxacc) {
				maxacc = lt->naccounts;
				acc = xreallocarray(acc, maxacc, sizeof(*acc));
			}
			memset(&cl, 0, sizeof(cl));
			for (j = 0; j < lt->naccounts; j++) {
				rc = ledger_account(l, lt->accounts[j], &la);
				if (rc != 0 && rc != LEDGER_CREATED) {
					ret = -1;
					break;
				}
				code = codebuf_new(codes);
				/* One serial per letter, shared by its accounts. */
				if (ledger_issue(l, &la, rng, code,
				    lt->school != NULL ? lt->school->uai : NULL,
				    expires, serials[k]) != 0) {
					ret = -1;
					break;
				}
				if (serials[k] == NULL)
					serials[k] = xstrdup(la.serial);
				acc[j].person = lt->accounts[j];
				acc[j].login = arena_strdup(&rows->a, la.login);
				acc[j].code = code;
				rows_add(rows, lt->accounts[j], la.login, code);
			}
			if (ret != 0)
				break;
			cl.letter = lt;
			cl.group = g;
			cl.accounts = acc;
			cl.serial = serials[k];
			cl.valid_until = expires;
			if (c != NULL && compose_letter(c, &cl) != 0)
				ret = -1;
		}
		if (c != NULL) {
			compose_flush(c);
			if (ret == 0 && g->section != SECTION_MAIL)
				compose_handover(c, g, serials);
			if (ret == 0 && g->section == SECTION_MAIL)
				compose_deposit(c, r);
		}
		for (k = 0; k < g->nletters; k++)
			free(serials[k]);
		free(serials);
		serials = NULL;
	}
	free(acc);
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
	struct cred_rng		 rng;
	struct runout		 outs[2];
	struct backend		 be;
	struct compose		 c;
	struct pg_docinfo	 di;
	struct rows		 rows;
	struct codebuf		 codes;
	struct export_ldif_opts	 lo;
	struct emit_pdf_opts	 po;
	struct rlimit		 nocore = { 0, 0 };
	struct outw		 wcsv, wldif;
	char			 date[11], expires[11], *cmdline = NULL;
	int			 i, ret = -1;
	int			 have_csv = 0, have_ldif = 0;

	memset(&sel, 0, sizeof(sel));
	memset(&r, 0, sizeof(r));
	memset(&sf, 0, sizeof(sf));
	memset(&rows, 0, sizeof(rows));
	memset(&codes, 0, sizeof(codes));
	memset(&be, 0, sizeof(be));
	memset(outs, 0, sizeof(outs));
	be.v = outs;
	be.n = o->noutputs;
	memset(&rng, 0, sizeof(rng));
	arena_init(&rows.a);
	directory_init(&d);

	if (o->noutputs == 0 && o->csv == NULL && o->ldif == NULL) {
		diag(DIAG_BAD_ARG, NULL, "%s", "nothing to write: give -o "
		    "RUN.ps|RUN.pdf, --csv or --ldif");
		goto out;
	}
	for (i = 0; i < o->noutputs; i++) {
		outs[i].path = o->outputs[i];
		if (output_format(o, outs[i].path, &outs[i].pdf) != 0)
			goto out;
	}
	if (o->test_mode != o->seed_set) {
		diag(DIAG_BAD_ARG, NULL, "%s", "--test-mode and --seed go "
		    "together");
		goto out;
	}
	if (cmd_run_date(o, date) != 0)
		goto out;
	cmd_add_days(date, o->valid_days, expires);

	/* Codes will be in memory: no core file may carry them away. */
	setrlimit(RLIMIT_CORE, &nocore);
	if (cred_init() != 0 || text_init() != 0)
		goto out;
	if (o->test_mode) {
		diag(DIAG_TEST_MODE, NULL, "seed %llu",
		    (unsigned long long)o->seed);
		cred_rng_seed(&rng, o->seed);
	} else
		cred_rng_random(&rng);

	if ((lay = layout_load(o->layout != NULL ? o->layout : "letter")) ==
	    NULL)
		goto out;
	if (o->school_info != NULL && school_file_load(&sf, o->school_info) !=
	    0)
		goto out;
	if (cmd_load(o, &d) != 0)
		goto out;
	if (ledger_open(&l, o->ledger != NULL ? o->ledger : LEDGER_DEFAULT,
	    LEDGER_CREATE) != 0)
		goto out;
	ledger_set_today(l, date);
	o->sel.state_of = ledger_state_of;
	o->sel.state_arg = l;
	select_run(&d, &o->sel, &sel);
	if (keep_unissued(l, &sel, date, o->quiet) != 0)
		goto out;

	memset(&bo, 0, sizeof(bo));
	bo.sections = o->batch;
	bo.can_post = lay->window.present;
	bo.relatives = o->sel.relatives;
	if (batch_build(&d, &sel, &bo, &r) != 0)
		goto out;

	cmdline = command_line(o);
	if (ledger_run_begin(l, date, cmdline) != 0)
		goto out;

	if (r.naccounts == 0) {
		/* Do not replace a good run by an empty one. */
		diag(DIAG_NOTHING, NULL, "%s", "no file written");
		ledger_run_rollback(l);
		ret = 0;
		goto out;
	}

	/* The print run, streamed page by page into every output. */
	memset(&di, 0, sizeof(di));
	di.title = "Identifiants ENT";
	di.creator = "entpress " PACKAGE_VERSION;
	di.date = date;
	di.duplex = lay->duplex;
	di.fonts_used = compose_fonts(lay);
	di.encs_used = 0x7;
	memset(&po, 0, sizeof(po));
	po.pdfa = o->pdfa;
	for (i = 0; i < o->noutputs; i++) {
		if (outw_open(&outs[i].w, outs[i].path) != 0)
			goto out_rollback;
		outs[i].open = 1;
		if (outs[i].pdf) {
			outs[i].pdfw = emit_pdf_begin(&outs[i].w, &di, &po);
			if (outs[i].pdfw == NULL)
				goto out_rollback;
		} else
			outs[i].ps = emit_ps_begin(&outs[i].w, &di);
	}
	if (o->noutputs > 0) {
		compose_init(&c, lay, &sf, date, emit_page, &be);
		ret = run_letters(o, l, &rng, &r, &c, &sf, expires, &rows,
		    &codes);
		for (i = 0; i < o->noutputs; i++)
			if ((outs[i].pdf ? emit_pdf_end(outs[i].pdfw) :
			    emit_ps_end(outs[i].ps)) != 0)
				ret = -1;
		if (!o->quiet && ret == 0)
			fprintf(stderr, "entpress: %s: %u pages (%u blank), "
			    "%u letters: %u by class, %u staff, %u posted\n",
			    outs[0].path, c.stats.pages, c.stats.blank,
			    c.stats.letters, r.nletters[SECTION_CLASS],
			    r.nletters[SECTION_STAFF], r.nletters[SECTION_MAIL]);
		compose_free(&c);
		if (ret != 0)
			goto out_rollback;
		for (i = 0; i < o->noutputs; i++)
			if (outw_finish(&outs[i].w) != 0) {
				outs[i].open = 0;	/* removed by outw */
				goto out_rollback;
			}
	} else {
		/* Exports only: issue the codes without composing. */
		ret = run_letters(o, l, &rng, &r, NULL, &sf, expires, &rows,
		    &codes);
		if (ret != 0)
			goto out_rollback;
	}

	/* The exports, finished under their temporary names. */
	ret = -1;
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

	/* Every output is complete: now the codes become real. */
	if (ledger_run_commit(l) != 0)
		goto out_files;
	ret = 0;
	for (i = 0; i < o->noutputs; i++) {
		if (outs[i].open && outw_publish(&outs[i].w) != 0)
			ret = -1;
		outs[i].open = 0;
	}
	if (have_csv && outw_publish(&wcsv) != 0)
		ret = -1;
	if (have_ldif && outw_publish(&wldif) != 0)
		ret = -1;
	have_csv = have_ldif = 0;
	goto out;

out_rollback:
	ret = -1;
	ledger_run_rollback(l);
out_files:
	outs_abort(outs, o->noutputs);
	if (have_csv)
		outw_abort(&wcsv);
	if (have_ldif)
		outw_abort(&wldif);
	have_csv = have_ldif = 0;
out:
	codebuf_wipe(&codes);
	cred_rng_wipe(&rng);
	free(rows.v);
	arena_free(&rows.a);
	free(cmdline);
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
