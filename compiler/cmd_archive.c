/*
 * cmd_archive: the archive and loss-control commands.
 *
 *	verify MANIFEST [RUN]	does an archived run still match its
 *				manifest?  Says which letter differs.
 *	reissue LOGIN...	a new code for lost letters, the old one
 *				revoked, printed in a small run of its own.
 *	report			per run, section and group: what became of
 *				the codes (activated, outstanding, expired,
 *				replaced), and which way of delivery loses
 *				letters.
 *
 * verify needs neither the ledger nor the export: the manifest and the
 * files are enough (with --ledger it also checks that the ledger
 * recorded this manifest and issued its fingerprints).  reissue reads
 * the export again, from the paths the ledger kept for the run that
 * issued each code, or from --export.  report reads the ledger alone.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cmd.h"
#include "credentials.h"
#include "csv.h"
#include "diag.h"
#include "directory.h"
#include "layout.h"
#include "ledger.h"
#include "manifest.h"
#include "mem.h"
#include "outw.h"
#include "select.h"

/* --- verify ------------------------------------------------------------ */

/* "%!PS" or "%PDF": what an archived file is, whatever its name. */
static const char *
sniff_kind(const char *path)
{
	char	 head[5];
	FILE	*fp;
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	n = fread(head, 1, 4, fp);
	fclose(fp);
	head[n] = '\0';
	if (strcmp(head, "%PDF") == 0)
		return "pdf";
	if (strncmp(head, "%!", 2) == 0)
		return "ps";
	return NULL;
}

struct vstat {
	size_t		 files, files_bad;
	size_t		 letters;	/* with pages in a run */
	unsigned char	*bad;		/* per letter: differs somewhere */
	int		 io;		/* a file could not be read */
};

/*
 * One output against its manifest entry: the whole file, and for a
 * print output the bytes of every letter, in one read.
 */
static void
verify_file(const struct manifest *m, size_t k, const char *path,
    struct vstat *vs)
{
	const struct manifest_file	*f = &m->outputs[k];
	const struct manifest_letter	*ml;
	struct cred_range		*r;
	struct diag_pos			 pos = { path, 0, 0 };
	uint8_t				 whole[CRED_SHA256_LEN];
	uint64_t			 size;
	size_t				 i, n = 0, bad = 0;

	r = xcalloc(m->nletters + 1, sizeof(*r));
	for (i = 0; k < m->nprint && i < m->nletters; i++)
		if (m->letters[i].first_page > 0)
			r[n++] = m->letters[i].range[k];
	vs->files++;
	if (cred_sha256_file(path, whole, &size, r, n) != 0) {
		vs->io = 1;
		free(r);
		return;
	}
	for (i = n = 0; k < m->nprint && i < m->nletters; i++) {
		ml = &m->letters[i];
		if (ml->first_page == 0)
			continue;
		if (!r[n].complete || memcmp(r[n].sha256,
		    ml->range[k].sha256, CRED_SHA256_LEN) != 0) {
			if (ml->first_page == ml->last_page)
				diag(DIAG_VERIFY_MISMATCH, &pos, "letter %s "
				    "(%s), page %u", ml->serial, ml->label !=
				    NULL ? ml->label : "-", ml->first_page);
			else
				diag(DIAG_VERIFY_MISMATCH, &pos, "letter %s "
				    "(%s), pages %u-%u", ml->serial,
				    ml->label != NULL ? ml->label : "-",
				    ml->first_page, ml->last_page);
			vs->bad[i] = 1;
			bad++;
		}
		n++;
	}
	if (size != f->size || memcmp(whole, f->sha256, CRED_SHA256_LEN) !=
	    0) {
		vs->files_bad++;
		/* A letter named is enough; else say where it is not. */
		if (bad == 0)
			diag(DIAG_VERIFY_MISMATCH, &pos, "%s", size != f->size ?
			    "size differs" : "bytes differ outside the "
			    "letters' pages");
	}
	free(r);
}

/*
 * With --ledger: the ledger recorded this manifest for its run, and
 * every fingerprint in it is a code the ledger issued to that login.
 */
static void
verify_ledger(const struct cmd_opts *o, const char *mpath,
    const struct manifest *m)
{
	struct ledger		*l;
	struct ledger_run	 run;
	struct diag_pos		 pos = { mpath, 0, 0 };
	uint8_t			 sha[CRED_SHA256_LEN];
	char			 hex[CRED_SHA256_HEXLEN];
	size_t			 i, j, unknown = 0;
	int			 rc;

	rc = ledger_open(&l, o->ledger, 0);
	if (rc == LEDGER_NOTFOUND)
		diag_sys(DIAG_BAD_LEDGER, o->ledger, "%s", "no such ledger");
	if (rc != 0)
		return;
	if (cred_sha256_file(mpath, sha, NULL, NULL, 0) != 0)
		goto out;
	cred_sha256_hex(sha, hex);
	rc = ledger_run_get(l, m->run, &run);
	if (rc == LEDGER_NOTFOUND || (rc == 0 && strcmp(run.manifest, hex)))
		diag(DIAG_VERIFY_MISMATCH, &pos, "the ledger recorded %s for "
		    "run %lld", rc == 0 && run.manifest[0] != '\0' ?
		    "another manifest" : "no such manifest",
		    (long long)m->run);
	if (rc == 0)
		ledger_run_free(&run);
	for (i = 0; i < m->nletters; i++)
		for (j = 0; j < m->letters[i].naccounts; j++) {
			rc = ledger_fp_of(l, m->letters[i].accounts[j].login,
			    m->letters[i].accounts[j].fp);
			if (rc == -1)
				goto out;
			if (rc == LEDGER_NOTFOUND && unknown++ == 0)
				diag(DIAG_VERIFY_MISMATCH, &pos, "letter %s: "
				    "the ledger never issued the code of %s",
				    m->letters[i].serial,
				    m->letters[i].accounts[j].login);
		}
	if (unknown > 1)
		diag(DIAG_VERIFY_MISMATCH, &pos, "%zu codes in all that the "
		    "ledger never issued", unknown);
out:
	ledger_close(l);
}

/*
 * `verify MANIFEST [RUN]`.  Without RUN every output the manifest names
 * is checked, found from the manifest's directory; with RUN, that file
 * against the print output of its kind.  Exit 0 only if all matches.
 */
int
cmd_verify(struct cmd_opts *o)
{
	struct manifest		 m;
	struct vstat		 vs;
	struct buf		 path;
	struct stat		 st;
	const char		*mpath, *kind;
	size_t			 k, only = (size_t)-1, nbad = 0;
	int			 print;

	if (o->nargs < 1 || o->nargs > 2) {
		diag(DIAG_BAD_ARG, NULL, "%s", "usage: entpress verify "
		    "MANIFEST [RUN.ps|RUN.pdf]");
		return diag_worst();
	}
	if (cred_init() != 0)
		return diag_worst();
	mpath = o->args[0];
	manifest_init(&m);
	memset(&vs, 0, sizeof(vs));
	buf_init(&path);
	if (manifest_load(mpath, &m) != 0)
		goto out;
	vs.bad = xcalloc(m.nletters + 1, 1);
	for (k = 0; k < m.nletters; k++)
		if (m.letters[k].first_page > 0)
			vs.letters++;
	if (o->nargs == 2) {
		if ((kind = sniff_kind(o->args[1])) == NULL) {
			if (stat(o->args[1], &st) == -1)
				diag_sys(DIAG_SYS_OPEN, o->args[1], "%s",
				    strerror(errno));
			else
				diag_sys(DIAG_BAD_ARG, o->args[1], "%s",
				    "neither PostScript nor PDF");
			goto out;
		}
		for (k = 0; k < m.nprint; k++)
			if (strcmp(m.outputs[k].kind, kind) == 0)
				break;
		if (k == m.nprint) {
			diag_sys(DIAG_BAD_ARG, o->args[1], "the manifest has "
			    "no %s output", kind);
			goto out;
		}
		only = k;
	}
	for (k = 0; k < m.noutputs; k++) {
		if (only != (size_t)-1 && k != only)
			continue;
		print = k < m.nprint;
		if (only != (size_t)-1) {
			buf_reset(&path);
			buf_adds(&path, o->args[1]);
		} else
			manifest_locate(mpath, m.outputs[k].name, &path);
		if (stat(path.p, &st) == -1 && errno == ENOENT && !print) {
			/* CSV and LDIF hold codes: schools destroy them. */
			diag_sys(DIAG_VERIFY_UNCHECKED, path.p, "%s",
			    m.outputs[k].kind);
			continue;
		}
		verify_file(&m, k, path.p, &vs);
	}
	if (o->ledger != NULL)
		verify_ledger(o, mpath, &m);
	for (k = 0; k < m.nletters; k++)
		nbad += vs.bad[k];
	if (vs.io)
		fprintf(o->out, "verify: %s: could not read every file\n",
		    mpath);
	else if (vs.files_bad == 0 && nbad == 0 &&
	    diag_worst() < LEVEL_ERROR)
		fprintf(o->out, "verify: %s: OK: %zu letter%s, %zu file%s "
		    "match\n", mpath, vs.letters, vs.letters == 1 ? "" : "s",
		    vs.files, vs.files == 1 ? "" : "s");
	else
		fprintf(o->out, "verify: %s: FAILED: %zu of %zu letter%s, "
		    "%zu of %zu file%s differ\n", mpath, nbad, vs.letters,
		    vs.letters == 1 ? "" : "s", vs.files_bad, vs.files,
		    vs.files == 1 ? "" : "s");
out:
	free(vs.bad);
	buf_free(&path);
	manifest_free(&m);
	return diag_worst();
}

/* --- reissue ------------------------------------------------------------ */

/* One login to reissue, as the ledger knows it. */
struct target {
	const char		*login;
	char			*key;		/* account key */
	struct ledger_acct	 a;
	struct dir_person	*p;		/* in the export read */
};

static void
paths_add(char ***v, size_t *n, const char *s)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/*
 * The export to read: --export, else the operands of the runs that
 * issued the current codes (the ledger keeps them since schema 2).  A
 * path that is gone is an error naming the run: printing a letter from
 * another export than the one that issued it is the user's decision.
 */
static int
reissue_paths(struct cmd_opts *o, struct ledger *l, struct target *t,
    size_t nt, char ***paths, size_t *npaths)
{
	struct ledger_run	 run;
	struct buf		 missing;
	struct stat		 st;
	int64_t			*seen = NULL;
	size_t			 i, j, nseen = 0;
	char			*p, *nl;
	int			 ret = 0, rc;

	if (o->nexports > 0) {
		for (i = 0; i < o->nexports; i++)
			paths_add(paths, npaths, o->exports[i]);
		return 0;
	}
	buf_init(&missing);
	seen = xcalloc(nt + 1, sizeof(*seen));
	for (i = 0; i < nt; i++) {
		if (t[i].a.run == 0) {
			diag(DIAG_NO_EXPORT, NULL, "%s has no code yet: give "
			    "--export PATH", t[i].login);
			ret = -1;
			continue;
		}
		for (j = 0; j < nseen; j++)
			if (seen[j] == t[i].a.run)
				break;
		if (j < nseen)
			continue;
		seen[nseen++] = t[i].a.run;
		if ((rc = ledger_run_get(l, t[i].a.run, &run)) != 0) {
			if (rc == LEDGER_NOTFOUND)
				diag(DIAG_NO_EXPORT, NULL, "run %lld of %s is "
				    "not in the ledger", (long long)t[i].a.run,
				    t[i].login);
			ret = -1;
			continue;
		}
		if (run.inputs == NULL) {
			diag(DIAG_NO_EXPORT, NULL, "run %lld (%s) recorded no "
			    "export paths: give --export PATH",
			    (long long)run.id, run.date);
			ret = -1;
			ledger_run_free(&run);
			continue;
		}
		buf_reset(&missing);
		for (p = run.inputs; p != NULL && *p != '\0'; p = nl) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl++ = '\0';
			if (stat(p, &st) == -1) {
				if (missing.len > 0)
					buf_adds(&missing, ", ");
				buf_adds(&missing, p);
			} else
				paths_add(paths, npaths, p);
		}
		if (missing.len > 0) {
			diag(DIAG_NO_EXPORT, NULL, "run %lld (%s): %s; give "
			    "--export PATH", (long long)run.id, run.date,
			    missing.p);
			ret = -1;
		}
		ledger_run_free(&run);
	}
	free(seen);
	buf_free(&missing);
	return ret;
}

/*
 * One letter for one person.  A parent's letter is handed out through
 * a child's class, or posted with --batch mail when the address fits;
 * failing both (no child linked under --relatives, no address), any
 * child and then the post are tried, so that a named login is printed
 * whenever it can be.
 */
static int
reissue_batch(const struct cmd_opts *o, const struct directory *d,
    const struct layout *lay, struct dir_person *p, struct batch_run *r)
{
	struct selection	 sel;
	struct batch_opts	 bo;
	int			 try;

	sel.v = &p;
	sel.n = 1;
	for (try = 0; try < 3; try++) {
		memset(&bo, 0, sizeof(bo));
		bo.sections = BATCH_CLASS | BATCH_STAFF | (try == 2 ?
		    BATCH_MAIL : o->batch & BATCH_MAIL);
		bo.can_post = lay->window.present;
		bo.relatives = try == 0 ? o->sel.relatives : RELATIVES_ALL;
		if (batch_build(d, &sel, &bo, r) != 0)
			return -1;
		if (r->naccounts > 0)
			return 0;
		batch_free(r);
	}
	return -1;
}

/*
 * `reissue --ledger DB [OUTPUTS] LOGIN...`: everything is checked before
 * anything is issued (every login known, every person in the export),
 * so a mistake in one login issues nothing for the others either.
 */
int
cmd_reissue(struct cmd_opts *o)
{
	struct directory	 d;
	struct target		*t = NULL;
	struct ledger		*l = NULL;
	struct layout		*lay = NULL;
	struct school_file	 sf;
	struct batch_run	*runs = NULL;
	struct cmd_print	 pr;
	struct buf		 key;
	char			 date[11], **paths = NULL, **logins = NULL;
	size_t			 i, j, nt = 0, npaths = 0, nruns = 0;
	int			 rc, bad = 0, ret = -1;

	memset(&sf, 0, sizeof(sf));
	directory_init(&d);
	buf_init(&key);
	if (o->nargs == 0) {
		diag(DIAG_BAD_ARG, NULL, "%s", "usage: entpress reissue "
		    "--ledger DB [OUTPUTS] LOGIN...");
		goto out;
	}
	if (cmd_print_args(o, date) != 0)
		goto out;
	cmd_no_core();
	rc = ledger_open(&l, o->ledger != NULL ? o->ledger : LEDGER_DEFAULT,
	    0);
	if (rc == LEDGER_NOTFOUND)
		diag_sys(DIAG_BAD_LEDGER, o->ledger != NULL ? o->ledger :
		    LEDGER_DEFAULT, "%s", "no such ledger");
	if (rc != 0 || cmd_ledger_mode_ok(o, l, o->ledger != NULL ?
	    o->ledger : LEDGER_DEFAULT) != 0)
		goto out;
	ledger_set_today(l, date);

	/* Every login known, each once. */
	t = xcalloc((size_t)o->nargs, sizeof(*t));
	logins = xcalloc((size_t)o->nargs, sizeof(*logins));
	for (i = 0; i < (size_t)o->nargs; i++) {
		for (j = 0; j < nt; j++)
			if (strcmp(t[j].login, o->args[i]) == 0)
				break;
		if (j < nt)
			continue;
		t[nt].login = o->args[i];
		rc = ledger_account_key(l, t[nt].login, &key, NULL);
		if (rc == 0)
			rc = ledger_lookup_login(l, t[nt].login, &t[nt].a);
		if (rc == LEDGER_NOTFOUND) {
			diag(DIAG_LOGIN_UNKNOWN, NULL, "%s", t[nt].login);
			bad = 1;
			continue;
		}
		if (rc != 0)
			goto out;
		t[nt].key = xstrdup(key.p);
		logins[nt] = o->args[i];
		nt++;
	}
	if (bad || reissue_paths(o, l, t, nt, &paths, &npaths) != 0)
		goto out;

	if ((lay = layout_load(o->layout != NULL ? o->layout : "letter")) ==
	    NULL)
		goto out;
	if (o->school_info != NULL && school_file_load(&sf, o->school_info) !=
	    0)
		goto out;
	if (cmd_load_paths(o, paths, npaths, &d) != 0)
		goto out;

	/* Every person found by the key the ledger keeps. */
	for (i = 0; i < d.npersons; i++) {
		if (d.persons[i]->deleted)
			continue;
		ledger_acct_key(&key, d.persons[i]);
		for (j = 0; j < nt; j++)
			if (t[j].p == NULL && strcmp(t[j].key, key.p) == 0)
				t[j].p = d.persons[i];
	}
	for (j = 0; j < nt; j++)
		if (t[j].p == NULL) {
			diag(DIAG_NOT_IN_EXPORT, NULL, "%s (%s)", t[j].login,
			    t[j].key);
			bad = 1;
		}
	if (bad)
		goto out;

	runs = xcalloc(nt, sizeof(*runs));
	for (j = 0; j < nt; j++, nruns++)
		if (reissue_batch(o, &d, lay, t[j].p, &runs[j]) != 0) {
			diag(DIAG_NOT_IN_EXPORT, NULL, "%s: no class to hand "
			    "the letter out through, no address to post it",
			    t[j].login);
			goto out;
		}

	memset(&pr, 0, sizeof(pr));
	pr.l = l;
	pr.lay = lay;
	pr.sf = &sf;
	pr.date = date;
	pr.runs = runs;
	pr.nruns = nruns;
	pr.batch = BATCH_CLASS | BATCH_STAFF | (o->batch & BATCH_MAIL);
	pr.inputs = paths;
	pr.ninputs = npaths;
	pr.logins = logins;
	pr.nlogins = nt;
	if ((ret = cmd_print(o, &pr)) == 0 && !o->quiet)
		fprintf(stderr, "entpress: reissue: %zu new code%s, the "
		    "old one%s revoked\n", nt, nt == 1 ? "" : "s",
		    nt == 1 ? "" : "s");
out:
	for (j = 0; j < nruns; j++)
		batch_free(&runs[j]);
	free(runs);
	for (j = 0; j < nt; j++)
		free(t[j].key);
	free(t);
	free(logins);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	if (l != NULL)
		ledger_close(l);
	school_file_free(&sf);
	if (lay != NULL)
		layout_free(lay);
	directory_free(&d);
	buf_free(&key);
	if (ret != 0)
		diag_raise(LEVEL_ERROR);
	return diag_worst();
}

/* --- report ------------------------------------------------------------- */

#define NSEC	4	/* class, staff, mail, unknown (schema 1 runs) */

static const char *const sec_names[NSEC] = { "class", "staff", "mail", "?" };

static int
sec_index(const char *s)
{
	int	 i;

	for (i = 0; i < NSEC - 1; i++)
		if (strcmp(s, sec_names[i]) == 0)
			return i;
	return NSEC - 1;
}

/* One line of the report: a group, a section of a run, or a total. */
struct rline {
	char		 run[24];
	char		 date[LEDGER_DATE_LEN];
	const char	*section;
	char		 group[40];
	long long	 n[6];	/* letters accounts activated outstanding
				   expired replaced */
};

static const char *const cols[] = {
	"run", "date", "section", "group", "letters", "accounts",
	"activated", "outstanding", "expired", "replaced"
};

static void
rline_add(struct rline *to, const struct ledger_report_row *r)
{
	to->n[0] += r->letters;
	to->n[1] += r->accounts;
	to->n[2] += r->activated;
	to->n[3] += r->outstanding;
	to->n[4] += r->expired;
	to->n[5] += r->replaced;
}

/*
 * The lines, in order: per run, each section's total ("all"), and for
 * the class section each class below it; then the totals per section
 * over every run.
 */
static struct rline *
report_lines(const struct ledger_report_row *rows, size_t n, size_t *nl,
    struct rline tot[NSEC])
{
	struct rline	*v;
	size_t		 i, j, k, nv = 0, all;
	int		 s;

	v = xcalloc(2 * n + NSEC + 1, sizeof(*v));
	for (s = 0; s < NSEC; s++) {
		memset(&tot[s], 0, sizeof(tot[s]));
		snprintf(tot[s].run, sizeof(tot[s].run), "total");
		tot[s].section = sec_names[s];
		snprintf(tot[s].group, sizeof(tot[s].group), "all");
	}
	for (i = 0; i < n; i = j) {
		/* rows[i..j): one section of one run, its groups. */
		for (j = i; j < n && rows[j].run == rows[i].run &&
		    strcmp(rows[j].section, rows[i].section) == 0; j++)
			;
		s = sec_index(rows[i].section);
		snprintf(v[nv].run, sizeof(v[nv].run), "%lld",
		    (long long)rows[i].run);
		memcpy(v[nv].date, rows[i].date, sizeof(v[nv].date));
		v[nv].section = sec_names[s];
		snprintf(v[nv].group, sizeof(v[nv].group), "all");
		for (k = i; k < j; k++) {
			rline_add(&v[nv], &rows[k]);
			rline_add(&tot[s], &rows[k]);
		}
		all = nv++;
		if (s != 0)
			continue;
		for (k = i; k < j; k++, nv++) {
			v[nv] = v[all];
			memset(v[nv].n, 0, sizeof(v[nv].n));
			snprintf(v[nv].group, sizeof(v[nv].group), "%s",
			    rows[k].group);
			rline_add(&v[nv], &rows[k]);
		}
	}
	*nl = nv;
	return v;
}

static void
report_text(FILE *out, const struct rline *v, size_t nv,
    const struct rline tot[NSEC])
{
	const struct rline	*r;
	size_t			 i, w[10], len;
	char			 num[24];
	int			 c, s, part;

	for (c = 0; c < 10; c++)
		w[c] = strlen(cols[c]);
	for (part = 0; part < 2; part++)
		for (i = 0; i < (part == 0 ? nv : NSEC); i++) {
			r = part == 0 ? &v[i] : &tot[i];
			if (part == 1 && r->n[0] == 0)
				continue;
			if ((len = strlen(r->run)) > w[0])
				w[0] = len;
			if ((len = strlen(r->group)) > w[3])
				w[3] = len;
			for (c = 0; c < 6; c++) {
				len = (size_t)snprintf(num, sizeof(num), "%lld",
				    r->n[c]);
				if (len > w[4 + c])
					w[4 + c] = len;
			}
		}
	if (w[1] < 10)
		w[1] = 10;
	/* Text left-aligned, figures right-aligned, two spaces between. */
	for (c = 0; c < 10; c++)
		fprintf(out, c < 4 ? "%-*s%s" : "%*s%s", (int)w[c], cols[c],
		    c < 9 ? "  " : "\n");
	for (part = 0; part < 2; part++)
		for (i = 0; i < (part == 0 ? nv : NSEC); i++) {
			r = part == 0 ? &v[i] : &tot[i];
			if (part == 1 && r->n[0] == 0)
				continue;
			fprintf(out, "%*s  %-*s  %-*s  %-*s", (int)w[0], r->run,
			    (int)w[1], r->date, (int)w[2], r->section,
			    (int)w[3], r->group);
			for (c = 0; c < 6; c++)
				fprintf(out, "  %*lld", (int)w[4 + c], r->n[c]);
			fputc('\n', out);
		}
	/*
	 * Which way loses letters: of the codes each section sent, the
	 * share never used (outstanding, expired, or replaced after a
	 * letter was lost).  The post first: it is the one in question.
	 */
	fputs("not activated (outstanding, expired or replaced):", out);
	for (c = 0, i = 0; i < 3; i++) {
		s = i == 0 ? 2 : (int)i - 1;
		if (tot[s].n[1] == 0)
			continue;
		fprintf(out, "%s %s %.1f%% (%lld of %lld)", c++ > 0 ? "," : "",
		    sec_names[s], 100.0 * (double)(tot[s].n[3] + tot[s].n[4] +
		    tot[s].n[5]) / (double)tot[s].n[1], tot[s].n[3] +
		    tot[s].n[4] + tot[s].n[5], tot[s].n[1]);
	}
	fputs(c == 0 ? " no letter yet\n" : "\n", out);
}

static void
csv_put(struct outw *w, const char *s, int last)
{
	struct buf	 b;

	buf_init(&b);
	if (csv_is_formula(s))
		buf_addc(&b, '\'');
	buf_adds(&b, s);
	csv_write_field(w, b.p, b.len, ';');
	outw_write(w, last ? "\r\n" : ";", last ? 2 : 1);
	buf_free(&b);
}

/* export.c's conventions: `;`, CRLF, UTF-8 with a byte order mark. */
static int
report_csv(const char *path, const struct rline *v, size_t nv,
    const struct rline tot[NSEC])
{
	const struct rline	*r;
	struct outw		 w;
	char			 num[24];
	size_t			 i;
	int			 c, part;

	if (outw_open(&w, path) != 0)
		return -1;
	outw_write(&w, "\xEF\xBB\xBF", 3);
	for (c = 0; c < 10; c++)
		csv_put(&w, cols[c], c == 9);
	for (part = 0; part < 2; part++)
		for (i = 0; i < (part == 0 ? nv : NSEC); i++) {
			r = part == 0 ? &v[i] : &tot[i];
			if (part == 1 && r->n[0] == 0)
				continue;
			csv_put(&w, r->run, 0);
			csv_put(&w, r->date, 0);
			csv_put(&w, r->section, 0);
			csv_put(&w, r->group, 0);
			for (c = 0; c < 6; c++) {
				snprintf(num, sizeof(num), "%lld", r->n[c]);
				csv_put(&w, num, c == 5);
			}
		}
	return outw_commit(&w);
}

/* `report --ledger DB [--csv FILE]`: the ledger alone, no export. */
int
cmd_report(struct cmd_opts *o)
{
	struct ledger			*l = NULL;
	struct ledger_report_row	*rows = NULL;
	struct rline			*v = NULL, tot[NSEC];
	char				 today[11];
	size_t				 n, nv;
	int				 rc;

	if (o->nargs != 0) {
		diag(DIAG_BAD_ARG, NULL, "%s", "usage: entpress report "
		    "--ledger DB [--csv FILE] [--date YYYY-MM-DD]");
		return diag_worst();
	}
	if (cmd_run_date(o, today) != 0)
		return diag_worst();
	rc = ledger_open(&l, o->ledger != NULL ? o->ledger : LEDGER_DEFAULT,
	    0);
	if (rc == LEDGER_NOTFOUND)
		diag_sys(DIAG_BAD_LEDGER, o->ledger != NULL ? o->ledger :
		    LEDGER_DEFAULT, "%s", "no such ledger");
	if (rc != 0)
		return diag_worst();
	ledger_set_today(l, today);
	if (ledger_report(l, today, &rows, &n) != 0)
		goto out;
	v = report_lines(rows, n, &nv, tot);
	if (o->csv != NULL) {
		if (report_csv(o->csv, v, nv, tot) == 0 && !o->quiet)
			fprintf(stderr, "entpress: %s: %zu lines\n", o->csv,
			    nv);
	} else
		report_text(o->out, v, nv, tot);
out:
	free(v);
	free(rows);
	ledger_close(l);
	return diag_worst();
}
