/*
 * manifest: writing and reading the JSON record of a run.  See
 * manifest.h.
 *
 * jansson builds each part as a small tree and dumps it with
 * JSON_PRESERVE_ORDER, so keys come out in the order they were set here,
 * whatever jansson's hash seed: the text is a function of the run alone.
 * The head (format, run, outputs, inputs) is one indented object; the
 * letters follow it one compact object a line, each dumped and freed in
 * turn, so a run of 100,000 letters never has them all as a tree.
 * Reading loads the whole file (verify is rare and runs are school-sized;
 * an academy's manifest of 100,000 letters takes a few hundred MB).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "credentials.h"
#include "diag.h"
#include "manifest.h"
#include "mem.h"
#include "outw.h"

_Static_assert(CRED_FP_LEN == CRED_SHA256_LEN, "fingerprints print as SHA-256");

#define DUMP_HEAD	(JSON_PRESERVE_ORDER | JSON_INDENT(1))
#define DUMP_LETTER	JSON_PRESERVE_ORDER	/* one line */

void
manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->version = MANIFEST_VERSION;
	arena_init(&m->a);
}

void
manifest_free(struct manifest *m)
{
	free(m->letters);
	free(m->outputs);
	free(m->inputs);
	free(m->sel);
	arena_free(&m->a);
	memset(m, 0, sizeof(*m));
}

char *
manifest_strdup(struct manifest *m, const char *s)
{
	return s != NULL ? arena_strdup(&m->a, s) : NULL;
}

struct manifest_opt *
manifest_opt_add(struct manifest *m, const char *name, int scalar)
{
	struct manifest_opt	*o;

	m->sel = xreallocarray(m->sel, m->nsel + 1, sizeof(*m->sel));
	o = &m->sel[m->nsel++];
	memset(o, 0, sizeof(*o));
	o->name = manifest_strdup(m, name);
	o->scalar = scalar;
	return o;
}

/* Values are few: the list is copied to grow it, inside the arena. */
void
manifest_opt_value(struct manifest *m, struct manifest_opt *o,
    const char *v)
{
	const char	**nv;

	nv = arena_calloc(&m->a, o->n + 1, sizeof(*nv));
	if (o->n > 0)
		memcpy(nv, o->v, o->n * sizeof(*nv));
	nv[o->n++] = manifest_strdup(m, v);
	o->v = nv;
}

static struct manifest_file *
file_add(struct manifest_file **v, size_t *n)
{
	struct manifest_file	*f;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	return f;
}

struct manifest_file *
manifest_output_add(struct manifest *m)
{
	return file_add(&m->outputs, &m->noutputs);
}

struct manifest_file *
manifest_input_add(struct manifest *m)
{
	return file_add(&m->inputs, &m->ninputs);
}

struct manifest_letter *
manifest_letter_add(struct manifest *m)
{
	struct manifest_letter	*l;

	if (m->nletters == m->capletters) {
		m->capletters = m->capletters == 0 ? 256 : m->capletters * 2;
		m->letters = xreallocarray(m->letters, m->capletters,
		    sizeof(*m->letters));
	}
	l = &m->letters[m->nletters++];
	memset(l, 0, sizeof(*l));
	return l;
}

/* --- names ------------------------------------------------------------ */

/* The real directory of a path's directory part, into out. */
static int
real_dir(const char *path, struct buf *out)
{
	const char	*slash = strrchr(path, '/');
	char		*dir, *real;

	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if ((real = realpath(dir, NULL)) == NULL) {
		diag_sys(DIAG_SYS_OPEN, dir, "%s", strerror(errno));
		free(dir);
		return -1;
	}
	buf_reset(out);
	buf_adds(out, real);
	free(real);
	free(dir);
	return 0;
}

static const char *
base_name(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/*
 * run.ps beside the manifest is "run.ps", in a subdirectory "ps/run.ps",
 * anywhere else its absolute name: the archive can move as a folder.
 */
int
manifest_relpath(const char *manifest, const char *file, struct buf *out)
{
	struct buf	 md, fd;
	size_t		 n;
	int		 ret = -1;

	buf_init(&md);
	buf_init(&fd);
	if (real_dir(manifest, &md) != 0 || real_dir(file, &fd) != 0)
		goto out;
	buf_reset(out);
	n = md.len;
	if (strcmp(md.p, fd.p) == 0)
		buf_adds(out, base_name(file));
	else if (strncmp(md.p, fd.p, n) == 0 &&
	    (fd.p[n] == '/' || (n == 1 && md.p[0] == '/'))) {
		buf_adds(out, fd.p + n + (md.p[n - 1] == '/' ? 0 : 1));
		buf_addc(out, '/');
		buf_adds(out, base_name(file));
	} else {
		buf_adds(out, fd.p);
		if (fd.len == 0 || fd.p[fd.len - 1] != '/')
			buf_addc(out, '/');
		buf_adds(out, base_name(file));
	}
	ret = 0;
out:
	buf_free(&md);
	buf_free(&fd);
	return ret;
}

void
manifest_locate(const char *manifest, const char *name, struct buf *out)
{
	const char	*slash = strrchr(manifest, '/');

	buf_reset(out);
	if (name[0] != '/' && slash != NULL)
		buf_add(out, manifest, (size_t)(slash - manifest + 1));
	buf_adds(out, name);
}

/* --- writing ------------------------------------------------------------ */

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* A SHA-256 or a fingerprint (both 32 bytes) in lower-case hex. */
static json_t *
jhex(const uint8_t v[CRED_SHA256_LEN])
{
	char	 hex[CRED_SHA256_HEXLEN];

	cred_sha256_hex(v, hex);
	return json_string(hex);
}

static json_t *
jfile(const struct manifest_file *f, int print)
{
	json_t	*o = json_object();

	json_object_set_new(o, "name", jstr(f->name));
	json_object_set_new(o, "kind", jstr(f->kind));
	json_object_set_new(o, "size", json_integer((json_int_t)f->size));
	json_object_set_new(o, "sha256", jhex(f->sha256));
	if (print)
		json_object_set_new(o, "pages", json_integer(f->pages));
	return o;
}

static json_t *
jhead(const struct manifest *m)
{
	json_t	*o, *run, *sel, *a, *v;
	size_t	 i, j;

	o = json_object();
	json_object_set_new(o, "format", json_string(MANIFEST_FORMAT));
	json_object_set_new(o, "version", json_integer(m->version));

	run = json_object();
	json_object_set_new(run, "id", json_integer((json_int_t)m->run));
	json_object_set_new(run, "command", jstr(m->command));
	json_object_set_new(run, "date", jstr(m->date));
	json_object_set_new(run, "valid_until", jstr(m->valid_until));
	json_object_set_new(run, "layout", jstr(m->layout));
	json_object_set_new(run, "test_mode", json_boolean(m->test_mode));
	sel = json_object();
	for (i = 0; i < m->nsel; i++) {
		if (m->sel[i].scalar)
			v = jstr(m->sel[i].n > 0 ? m->sel[i].v[0] : NULL);
		else {
			v = json_array();
			for (j = 0; j < m->sel[i].n; j++)
				json_array_append_new(v,
				    json_string(m->sel[i].v[j]));
		}
		json_object_set_new(sel, m->sel[i].name, v);
	}
	json_object_set_new(run, "selection", sel);
	json_object_set_new(o, "run", run);

	a = json_array();
	for (i = 0; i < m->noutputs; i++)
		json_array_append_new(a, jfile(&m->outputs[i], i < m->nprint));
	json_object_set_new(o, "outputs", a);
	a = json_array();
	for (i = 0; i < m->ninputs; i++)
		json_array_append_new(a, jfile(&m->inputs[i], 0));
	json_object_set_new(o, "inputs", a);
	return o;
}

static json_t *
jletter(const struct manifest *m, const struct manifest_letter *l)
{
	const struct manifest_account	*ac;
	json_t				*o, *a, *r;
	size_t				 i;

	o = json_object();
	json_object_set_new(o, "serial", jstr(l->serial));
	json_object_set_new(o, "label", jstr(l->label));
	json_object_set_new(o, "section", jstr(l->section));
	json_object_set_new(o, "group", jstr(l->group));
	json_object_set_new(o, "delivery", jstr(l->way));
	json_object_set_new(o, "replaces", jstr(l->replaces));
	if (l->first_page > 0) {
		a = json_array();
		json_array_append_new(a, json_integer(l->first_page));
		json_array_append_new(a, json_integer(l->last_page));
		json_object_set_new(o, "pages", a);
		a = json_array();
		for (i = 0; i < m->nprint; i++) {
			r = json_object();
			json_object_set_new(r, "output",
			    jstr(m->outputs[i].name));
			json_object_set_new(r, "start",
			    json_integer((json_int_t)l->range[i].start));
			json_object_set_new(r, "end",
			    json_integer((json_int_t)l->range[i].end));
			json_object_set_new(r, "sha256",
			    jhex(l->range[i].sha256));
			json_array_append_new(a, r);
		}
		json_object_set_new(o, "bytes", a);
	}
	a = json_array();
	for (i = 0; i < l->naccounts; i++) {
		ac = &l->accounts[i];
		r = json_object();
		json_object_set_new(r, "login", jstr(ac->login));
		json_object_set_new(r, "name", jstr(ac->name));
		json_object_set_new(r, "profile", jstr(ac->profile));
		json_object_set_new(r, "fingerprint", jhex(ac->fp));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "accounts", a);
	if (l->naddress > 0) {
		a = json_array();
		for (i = 0; i < l->naddress; i++)
			json_array_append_new(a, jstr(l->address[i]));
		json_object_set_new(o, "address", a);
	}
	return o;
}

/* The writer's hook: the manifest's own digest, for the ledger. */
static void
sha_hook(void *arg, const void *p, size_t n)
{
	cred_sha256_update(arg, p, n);
}

static int
dump(struct outw *w, json_t *o, size_t flags, size_t strip)
{
	char	*s;
	size_t	 n;

	s = json_dumps(o, flags);
	json_decref(o);
	if (s == NULL) {
		diag_sys(DIAG_SYS_NOMEM, w->path, "%s", "writing the manifest");
		return -1;
	}
	n = strlen(s);
	outw_write(w, s, n > strip ? n - strip : 0);
	free(s);
	return 0;
}

int
manifest_write(struct outw *w, const struct manifest *m,
    uint8_t sha256[CRED_SHA256_LEN])
{
	struct cred_sha256	 h;
	size_t			 i;

	cred_sha256_init(&h);
	outw_set_hook(w, sha_hook, &h);
	/* The head without its closing "\n}": the letters go in there. */
	if (dump(w, jhead(m), DUMP_HEAD, 2) != 0)
		goto fail;
	outw_puts(w, ",\n \"letters\": [");
	for (i = 0; i < m->nletters; i++) {
		outw_puts(w, i > 0 ? ",\n  " : "\n  ");
		if (dump(w, jletter(m, &m->letters[i]), DUMP_LETTER, 0) != 0)
			goto fail;
	}
	outw_puts(w, m->nletters > 0 ? "\n ]\n}\n" : "]\n}\n");
	outw_set_hook(w, NULL, NULL);
	cred_sha256_final(&h, sha256);
	return outw_finish(w);
fail:
	outw_set_hook(w, NULL, NULL);
	outw_abort(w);
	return -1;
}

/* --- reading ------------------------------------------------------------ */

struct rd {
	struct manifest	*m;
	const char	*path;
	int		 bad;
};

static void
bad(struct rd *r, const char *what)
{
	if (!r->bad)
		diag_sys(DIAG_BAD_MANIFEST, r->path, "%s", what);
	r->bad = 1;
}

static void
bad_key(struct rd *r, const char *key)
{
	char	 what[80];

	snprintf(what, sizeof(what), "missing or invalid \"%s\"", key);
	bad(r, what);
}

/* A string member, copied; NULL for null or absent unless required. */
static const char *
get_str(struct rd *r, json_t *o, const char *key, int required)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v)) {
		if (required)
			bad_key(r, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		bad_key(r, key);
		return NULL;
	}
	return manifest_strdup(r->m, json_string_value(v));
}

static uint64_t
get_uint(struct rd *r, json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad_key(r, key);
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static void
get_hex(struct rd *r, json_t *o, const char *key, uint8_t *out, size_t n)
{
	const char	*s = get_str(r, o, key, 1);
	size_t		 i;
	unsigned int	 b;

	memset(out, 0, n);
	if (s == NULL)
		return;
	if (strlen(s) != 2 * n) {
		bad_key(r, key);
		return;
	}
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1 ||
		    strchr("0123456789abcdef", s[2 * i]) == NULL ||
		    strchr("0123456789abcdef", s[2 * i + 1]) == NULL) {
			bad_key(r, key);
			return;
		}
		out[i] = (uint8_t)b;
	}
}

static void
read_files(struct rd *r, json_t *a, int outputs)
{
	struct manifest		*m = r->m;
	struct manifest_file	*f;
	json_t			*o;
	size_t			 i;

	if (!json_is_array(a)) {
		bad_key(r, outputs ? "outputs" : "inputs");
		return;
	}
	json_array_foreach(a, i, o) {
		f = outputs ? manifest_output_add(m) : manifest_input_add(m);
		f->name = get_str(r, o, "name", 1);
		f->kind = get_str(r, o, "kind", 1);
		f->size = get_uint(r, o, "size");
		get_hex(r, o, "sha256", f->sha256, CRED_SHA256_LEN);
		if (outputs && json_object_get(o, "pages") != NULL) {
			f->pages = (uint32_t)get_uint(r, o, "pages");
			/* Print outputs come first; their letters' bytes. */
			if (m->nprint == m->noutputs - 1 &&
			    m->nprint < MANIFEST_MAXRUN)
				m->nprint++;
		}
	}
}

static void
read_letter(struct rd *r, json_t *o)
{
	struct manifest		*m = r->m;
	struct manifest_letter	*l;
	json_t			*a, *v;
	const char		*out;
	size_t			 i, k;

	l = manifest_letter_add(m);
	l->serial = get_str(r, o, "serial", 1);
	l->label = get_str(r, o, "label", 0);
	l->section = get_str(r, o, "section", 0);
	l->group = get_str(r, o, "group", 0);
	l->way = get_str(r, o, "delivery", 0);
	l->replaces = get_str(r, o, "replaces", 0);
	if ((a = json_object_get(o, "pages")) != NULL) {
		if (!json_is_array(a) || json_array_size(a) != 2 ||
		    !json_is_integer(json_array_get(a, 0)) ||
		    !json_is_integer(json_array_get(a, 1))) {
			bad_key(r, "pages");
			return;
		}
		l->first_page = (uint32_t)json_integer_value(
		    json_array_get(a, 0));
		l->last_page = (uint32_t)json_integer_value(
		    json_array_get(a, 1));
	}
	if ((a = json_object_get(o, "bytes")) != NULL) {
		if (!json_is_array(a)) {
			bad_key(r, "bytes");
			return;
		}
		json_array_foreach(a, i, v) {
			if ((out = get_str(r, v, "output", 1)) == NULL)
				return;
			for (k = 0; k < m->nprint; k++)
				if (strcmp(m->outputs[k].name, out) == 0)
					break;
			if (k == m->nprint) {
				bad(r, "bytes: output not in outputs");
				return;
			}
			l->range[k].start = get_uint(r, v, "start");
			l->range[k].end = get_uint(r, v, "end");
			get_hex(r, v, "sha256", l->range[k].sha256,
			    CRED_SHA256_LEN);
			if (l->range[k].end < l->range[k].start)
				bad(r, "bytes: end before start");
		}
	}
	if (!json_is_array(a = json_object_get(o, "accounts"))) {
		bad_key(r, "accounts");
		return;
	}
	l->naccounts = json_array_size(a);
	l->accounts = arena_calloc(&m->a, l->naccounts + 1,
	    sizeof(*l->accounts));
	json_array_foreach(a, i, v) {
		l->accounts[i].login = get_str(r, v, "login", 1);
		l->accounts[i].name = get_str(r, v, "name", 0);
		l->accounts[i].profile = get_str(r, v, "profile", 0);
		get_hex(r, v, "fingerprint", l->accounts[i].fp, CRED_FP_LEN);
	}
	if ((a = json_object_get(o, "address")) != NULL && json_is_array(a)) {
		l->naddress = json_array_size(a);
		l->address = arena_calloc(&m->a, l->naddress + 1,
		    sizeof(*l->address));
		json_array_foreach(a, i, v)
			l->address[i] = json_is_string(v) ?
			    manifest_strdup(m, json_string_value(v)) : NULL;
	}
}

int
manifest_load(const char *path, struct manifest *m)
{
	struct rd	 r;
	json_error_t	 err;
	json_t		*root, *run, *a, *v;
	const char	*fmt;
	char		 what[200];
	size_t		 i;
	FILE		*fp;

	memset(&r, 0, sizeof(r));
	r.m = m;
	r.path = path;
	if ((fp = fopen(path, "r")) == NULL) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
	fclose(fp);
	if (root == NULL) {
		snprintf(what, sizeof(what), "line %d: %s", err.line,
		    err.text);
		bad(&r, what);
		return -1;
	}
	fmt = json_string_value(json_object_get(root, "format"));
	if (!json_is_object(root) || fmt == NULL ||
	    strcmp(fmt, MANIFEST_FORMAT) != 0) {
		bad(&r, "no \"format\": \"" MANIFEST_FORMAT "\"");
		goto out;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != MANIFEST_VERSION) {
		snprintf(what, sizeof(what), "version %lld, this entpress "
		    "reads version %d", json_is_integer(v) ?
		    (long long)json_integer_value(v) : -1LL, MANIFEST_VERSION);
		bad(&r, what);
		goto out;
	}
	m->version = MANIFEST_VERSION;
	if (!json_is_object(run = json_object_get(root, "run"))) {
		bad_key(&r, "run");
		goto out;
	}
	v = json_object_get(run, "id");
	m->run = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
	m->command = get_str(&r, run, "command", 0);
	m->date = get_str(&r, run, "date", 0);
	m->valid_until = get_str(&r, run, "valid_until", 0);
	m->layout = get_str(&r, run, "layout", 0);
	m->test_mode = json_is_true(json_object_get(run, "test_mode"));
	read_files(&r, json_object_get(root, "outputs"), 1);
	read_files(&r, json_object_get(root, "inputs"), 0);
	if (!json_is_array(a = json_object_get(root, "letters")))
		bad_key(&r, "letters");
	else
		json_array_foreach(a, i, v) {
			if (r.bad)
				break;
			read_letter(&r, v);
		}
out:
	json_decref(root);
	return r.bad ? -1 : 0;
}
