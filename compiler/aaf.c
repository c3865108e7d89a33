/*
 * aaf: the streaming AAF reader.  See aaf.h for the contract.
 *
 * The XML is parsed by libxml2's push parser with SAX2 callbacks, and a
 * small state machine walks the fixed shape of an export:
 *
 *	ficAlimMENESR
 *	  addRequest | modifyRequest | deleteRequest
 *	    operationalAttributes / attr / value	(the category)
 *	    identifier / id
 *	    attributes / attr name=X / value*		(addRequest)
 *	    modifications / modification name=X / value*	(modifyRequest)
 *
 * One request is collected into a struct dir_record (values in a small
 * per-record arena) and handed to directory_apply() at its end tag.  A
 * request that breaks the shape, or holds an entity reference, is
 * reported with its line and skipped; the rest of the file goes on.  A
 * fatal XML error (malformed markup, undecodable bytes) ends the file:
 * the records before it are kept and the message says the rest was
 * skipped.
 *
 * The reader used to be libxml2's xmlTextReader, which builds a node for
 * everything it reads and frees it again: twice the work of the parse
 * itself.  It is now the same parser driven the way xmlTextReader drove
 * it, so that every export, broken ones included, reads exactly as it
 * did: the input is fed in the same pieces (4 bytes, then 512-byte
 * chunks out of 4096-byte reads), the events of one push (chunks up to
 * the first that opens an element) are held and only acted upon once
 * the push went through, so a fatal error drops what xmlTextReader
 * would not have delivered yet, and the content of an entity is built
 * by libxml2's own SAX2 tree builder, as before, so that its checks
 * (loops, amplification) and the entity reference that follows are the
 * same.  See feed_push() and struct ev.
 *
 * Parsing is most of the reading, and a run's export is a dozen files:
 * when there are several plain files, they are parsed on worker threads
 * (two, or one per processor if fewer), each taking the next file no
 * one took yet.  A worker runs the same reader, but its records are not
 * applied: each is copied whole into the file's queue (struct pitem),
 * and so are its counts and its diagnostics, which diag_capture()
 * diverts from the standard error, libxml2's included (xml_error() goes
 * through diag() too).  The calling thread applies the queues file after
 * file in the order of the set, each as it fills, and issues the
 * diagnostics through diag() when it reaches them: the directory gets
 * the same records in the same order, and the standard error, the
 * counts and the exit status are those of a reading of one file after
 * the other.  The directory stays the calling thread's alone (the file
 * name is interned when it reaches the file, as before); a worker's
 * reader is aaf_cur, which is thread-local, and libxml2's error handler
 * is per thread.  Archive members, which share one archive cursor, are
 * read in place on the calling thread, as is a lone file and a document
 * in memory.  See pread_start().
 */
#include "config.h"

#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "aaf.h"
#include "diag.h"
#include "directory.h"
#include "mem.h"
#include "progress.h"

/* --- attribute names ------------------------------------------------ */

/*
 * AAF attribute names, 2D and 1D spellings, and the field each fills.
 * Attributes not listed are read and dropped: entpress does not print
 * phone numbers, subjects or grants.
 */
static const struct {
	const char	*name;
	enum dir_field	 field;
} aaf_attrs[] = {
	{ "ENTPersonJointure",		FIELD_JOINTURE },
	{ "ENTStructureJointure",	FIELD_JOINTURE },
	{ "ENTMatJointure",		FIELD_JOINTURE },
	{ "ENTMefJointure",		FIELD_JOINTURE },
	{ "sn",				FIELD_LAST_NAME },
	{ "ENTPersonNom",		FIELD_LAST_NAME },
	{ "givenName",			FIELD_FIRST_NAME },
	{ "ENTPersonPrenom",		FIELD_FIRST_NAME },
	{ "personalTitle",		FIELD_TITLE },
	{ "ENTPersonCivilite",		FIELD_TITLE },
	{ "mail",			FIELD_MAIL },
	{ "ENTPersonMail",		FIELD_MAIL },
	{ "ENTPersonStructRattach",	FIELD_SCHOOL },
	{ "ENTPersonAdresse",		FIELD_ADDRESS },
	{ "ENTPersonCodePostal",	FIELD_POSTCODE },
	{ "ENTPersonVille",		FIELD_CITY },
	{ "ENTPersonPays",		FIELD_COUNTRY },
	{ "ENTEleveClasses",		FIELD_CLASSES },
	{ "ENTPersonClasses",		FIELD_CLASSES },
	{ "ENTEleveNivFormation",	FIELD_LEVEL },
	{ "ENTEleveNiveau",		FIELD_LEVEL },
	{ "ENTNivFormation",		FIELD_LEVEL },
	{ "ENTEleveLibelleMEF",		FIELD_MEF_LABEL },
	{ "ENTElevePersRelEleve",	FIELD_RELATIVES },
	{ "ENTEleveAutoriteParentale",	FIELD_AUTHORITY },
	{ "ENTPersRelEleveEleve",	FIELD_REL_STUDENTS },
	{ "ENTAuxPersRelEleveEleve",	FIELD_REL_STUDENTS },
	{ "ENTPersonFonctions",		FIELD_FUNCTIONS },
	{ "PersEducNatPresenceDevantEleves", FIELD_PRESENCE },
	{ "ENTPersonCategorieEnseignant", FIELD_TEACHER_CAT },
	{ "ENTAuxEnsClasses",		FIELD_TEACH_CLASSES },
	{ "ENTAuxEnsClassesMatieres",	FIELD_TEACH_CLASSMAT },
	{ "ENTAuxEnsClassesPrincipal",	FIELD_HEAD_TEACHER },
	{ "ENTStructureUAI",		FIELD_UAI },
	{ "ENTEtablissementUAI",	FIELD_UAI },
	{ "ENTStructureNomCourant",	FIELD_SCHOOL_NAME },
	{ "ENTStructureTypeStruct",	FIELD_SCHOOL_TYPE },
	{ "street",			FIELD_STREET },
	{ "ENTStructureAdresse",	FIELD_STREET },
	{ "postalCode",			FIELD_POSTALCODE },
	{ "ENTStructureCodePostal",	FIELD_POSTALCODE },
	{ "l",				FIELD_LOCALITY },
	{ "ENTStructureVille",		FIELD_LOCALITY },
	{ "telephoneNumber",		FIELD_PHONE },
	{ "ENTStructureMailSI",		FIELD_SCHOOL_MAIL },
	{ "ENTStructureClasses",	FIELD_SCHOOL_CLASSES },
	{ "ENTLibelleMatiere",		FIELD_LABEL },
	{ "ENTLibelleMef",		FIELD_LABEL },
};

/* Category values of operationalAttributes, and file-name ranks. */
static const struct {
	const char	*name;
	enum dir_cat	 cat;
	int		 rank;		/* entcore's import order */
} aaf_cats[] = {
	{ "EtabEducNat",	CAT_ETAB,		0 },
	{ "MatiereEducNat",	CAT_MATIERE,		1 },
	{ "MatEducNat",		CAT_MATIERE,		1 },
	{ "MefEducNat",		CAT_MEF,		2 },
	{ "Eleve",		CAT_ELEVE,		3 },
	{ "PersRelEleve",	CAT_PERSRELELEVE,	4 },
	{ "PersEducNat",	CAT_PERSEDUCNAT,	5 },
};

static struct hmap	 attr_map;

void
aaf_global_init(void)
{
	size_t	 i;

	xmlInitParser();
	if (attr_map.cap != 0)
		return;
	hmap_init(&attr_map);
	for (i = 0; i < sizeof(aaf_attrs) / sizeof(aaf_attrs[0]); i++)
		hmap_put(&attr_map, aaf_attrs[i].name,
		    (void *)(uintptr_t)aaf_attrs[i].field);
}

void
aaf_global_cleanup(void)
{
	hmap_free(&attr_map);
	xmlCleanupParser();
}

static enum dir_field
attr_field(const char *name)
{
	return (enum dir_field)(uintptr_t)hmap_get(&attr_map, name);
}

/*
 * The requests of one file list their attributes in the same order, so
 * the reader keeps the names of the last request by position: the name
 * at position i is nearly always the one it had there, and a string
 * compare replaces hashing it (a few percent of a parse worker).
 */
#define MEMO_ATTRS	64		/* positions remembered */
#define MEMO_NAME	48		/* longer names are not */

struct attr_memo {
	char		 name[MEMO_NAME];	/* "": nothing held */
	enum dir_field	 f;
};

static enum dir_cat
cat_from_name(const char *s, int *rank)
{
	size_t	 i;

	for (i = 0; i < sizeof(aaf_cats) / sizeof(aaf_cats[0]); i++)
		if (strcmp(s, aaf_cats[i].name) == 0) {
			if (rank != NULL)
				*rank = aaf_cats[i].rank;
			return aaf_cats[i].cat;
		}
	return CAT_NONE;
}

/* --- the record being collected ------------------------------------- */

#define MAX_ATTRS	256		/* attributes in one request */
#define MAX_VALUES	10000		/* values in one attribute */
#define MAX_ATTRS_STR	"256"		/* the same, for messages */
#define MAX_VALUES_STR	"10000"

enum ctx {
	CTX_NONE = 0,
	CTX_OPER,		/* inside operationalAttributes */
	CTX_IDENT,		/* inside identifier */
	CTX_ATTRS,		/* inside attributes or modifications */
	CTX_OTHER		/* an element we skip */
};

struct rec {
	struct arena	 arena;		/* values, reset per record */
	enum dir_op	 op;
	int		 active;	/* inside a request */
	int		 bad;		/* already diagnosed, skip */
	unsigned int	 line;
	enum ctx	 ctx;
	char		*id;
	char		*category;
	struct dir_attr	 attrs[MAX_ATTRS];
	size_t		 nattrs;
	struct dir_attr	*cur;		/* attribute receiving values */
	size_t		 nseen;		/* attr elements so far */
	struct attr_memo memo[MEMO_ATTRS];	/* the last request's */
	const char	**vals;		/* values of cur, malloc'd */
	uint32_t	 nvals, capvals;
	int		 in_value;	/* collecting text of value/id */
	int		 in_id;
	struct buf	 text;
};

/*
 * One parser event, held until the push that produced it went through
 * (see feed_push()).  Element names come from the parser's dictionary,
 * which lives as long as the parser; text and attribute values are
 * copied into struct reader's evtext.
 */
enum ev_type {
	EV_START,
	EV_END,
	EV_TEXT,
	EV_ENTITY		/* an entity reference in the content */
};

struct ev {
	enum ev_type	 type;
	int		 depth;		/* of the element; text: its parent's + 1 */
	unsigned int	 line;		/* of the element's start tag */
	const xmlChar	*name;		/* element local name */
	int64_t		 name_attr;	/* offset in evtext, -1: absent */
	int64_t		 op_attr;	/* offset in evtext, -1: absent */
	size_t		 off, len;	/* text: bytes in evtext */
};

struct pfile;

/*
 * The names the state machine asks about.  libxml2 hands every element
 * and attribute name out of its parser's dictionary, one copy of each
 * spelling, so that a name is one of these exactly when it is the same
 * pointer: the reader looks them up in that dictionary once per file
 * instead of comparing strings at every tag (NM__MAX lookups against
 * several string comparisons per element, a million at 10,000 pupils).
 */
enum nm {
	NM_ROOT,		/* ficAlimMENESR */
	NM_ADD,			/* addRequest */
	NM_MODIFY,		/* modifyRequest */
	NM_DELETE,		/* deleteRequest */
	NM_OPER,		/* operationalAttributes */
	NM_IDENTIFIER,		/* identifier */
	NM_ATTRIBUTES,		/* attributes */
	NM_MODIFICATIONS,	/* modifications */
	NM_ID,			/* id */
	NM_ATTR,		/* attr */
	NM_MODIFICATION,	/* modification */
	NM_VALUE,		/* value */
	NM_NAME,		/* the attribute name= */
	NM_OPERATION,		/* the attribute operation= */
	NM__MAX
};

static const char *const nm_text[NM__MAX] = {
	[NM_ROOT] = "ficAlimMENESR",
	[NM_ADD] = "addRequest",
	[NM_MODIFY] = "modifyRequest",
	[NM_DELETE] = "deleteRequest",
	[NM_OPER] = "operationalAttributes",
	[NM_IDENTIFIER] = "identifier",
	[NM_ATTRIBUTES] = "attributes",
	[NM_MODIFICATIONS] = "modifications",
	[NM_ID] = "id",
	[NM_ATTR] = "attr",
	[NM_MODIFICATION] = "modification",
	[NM_VALUE] = "value",
	[NM_NAME] = "name",
	[NM_OPERATION] = "operation"
};

struct reader {
	xmlParserCtxtPtr	 ctxt;
	struct directory	*dir;		/* records are applied here, */
	struct pfile		*pf;		/* or queued here (a worker's) */
	const char		*name;		/* source name for messages */
	int			 delta;
	int			 fatal;		/* a fatal error was reported */
	int			 root_seen;
	int			 stop;		/* not an AAF export: stop */
	struct rec		 rec;
	char			 quiet[256];	/* last error not reported, */
	struct diag_pos		 quietpos;	/* and where: see xml_error */

	/* Events of the current push, and the parser's open elements. */
	struct ev		*ev;
	size_t			 nev, capev;
	struct buf		 evtext;
	int			 depth;		/* open elements */
	unsigned int		*lines;		/* their start lines */
	size_t			 caplines;
	int			 opened;	/* the push opened an element */
	const struct ev		*cur;		/* event being acted upon */
	size_t			 textrun;	/* bytes of the text node */
	const xmlChar		*nm[NM__MAX];	/* in ctxt's dictionary */
};

/* --- where a request goes ------------------------------------------- */

/* What the reader counts besides the records it hands over. */
enum rd_count {
	COUNT_REJECTED,		/* a request read and rejected */
	COUNT_CUT,		/* a request a fatal error cut short */
	COUNT_FILE,		/* a file the parser started on */
	COUNT_FILE_READ		/* a file read, to its end or not */
};

static void
count_apply(struct directory *d, enum rd_count c)
{
	switch (c) {
	case COUNT_REJECTED:
		progress_records(1);
		d->stats.skipped++;
		break;
	case COUNT_CUT:
		d->stats.skipped++;
		break;
	case COUNT_FILE:
		d->stats.files++;
		break;
	case COUNT_FILE_READ:
		progress_files(1);
		break;
	}
}

static void
record_apply(struct directory *d, const struct dir_record *dr)
{
	progress_records(1);
	if (directory_apply(d, dr) != 0)
		d->stats.skipped++;
}

/*
 * A file read on a worker thread (see aaf_read()) hands what it read
 * to the applying thread as items, in the order it happened: records,
 * counts and diagnostics.  A record item is the struct dir_record
 * followed by its attributes, their value vectors and every string,
 * the pointers pointing into the item itself, so that it is applied
 * where it lies; the source file is left for the applying thread to
 * set, as it interns the name when it reaches the file, as before.  A
 * diagnostic item holds what diag_capture() gave: code, position and
 * the detail text.
 */
enum pitem_kind {
	PITEM_RECORD,
	PITEM_COUNT,
	PITEM_DIAG
};

struct pitem {
	size_t		 size;		/* to the next item */
	enum pitem_kind	 kind;
	union {
		struct dir_record	 rec;
		enum rd_count		 count;
		struct {
			enum diag_code	 code;
			int		 has_pos;
			struct diag_pos	 pos;		/* file in the item */
			const char	*detail;	/* in the item */
		} diag;
	} u;
	/* The record's or the diagnostic's data follow. */
};

#define PITEM_ALIGN	_Alignof(struct pitem)
#define PITEM_ROUND(n)	(((n) + PITEM_ALIGN - 1) & ~(PITEM_ALIGN - 1))

/*
 * Items are laid out one after the other in blocks, which the worker
 * fills and hands over whole: one lock and at most one wake-up per
 * block, not per record.  An applied block is kept for the workers to
 * fill again: freed, its pages went back to the system and faulted in
 * anew, a tenth more processor time for the whole read.  An item larger
 * than a block (a request of thousands of values) gets a block of its
 * own size, freed once applied.
 */
#define PBLOCK_SIZE	(64 * 1024)	/* below malloc's mmap threshold */
#define PBLOCK_CAP	(PBLOCK_SIZE - sizeof(struct pblock))

struct pblock {
	struct pblock	*next;
	size_t		 used, cap;	/* bytes of data[] */
	_Alignas(struct pitem) unsigned char data[];
};

struct pread;

struct pfile {
	struct pread		*pr;
	const struct aaf_source	*src;
	struct pblock		*cur;		/* the worker's, being filled */
	/* Under pr->mu: */
	struct pblock		*head, *tail;	/* handed over, not applied */
	size_t			 nblocks;	/* of them */
	int			 done;		/* the worker is through */
	int			 ret;		/* and read_file() returned */
};

static struct pblock *pf_handover(struct pfile *, int);

/* Room for an item of size bytes, data included, in pf's block. */
static struct pitem *
pf_item(struct pfile *pf, enum pitem_kind kind, size_t size)
{
	struct pblock	*b = pf->cur;
	struct pitem	*it;

	size = PITEM_ROUND(size);
	if (b == NULL || b->cap - b->used < size) {
		if ((b = pf_handover(pf, size <= PBLOCK_CAP)) == NULL) {
			b = xmalloc(sizeof(*b) + (size > PBLOCK_CAP ? size :
			    PBLOCK_CAP));
			b->cap = size > PBLOCK_CAP ? size : PBLOCK_CAP;
		}
		b->next = NULL;
		b->used = 0;
		pf->cur = b;
	}
	it = (struct pitem *)(void *)(b->data + b->used);
	b->used += size;
	it->size = size;
	it->kind = kind;
	return it;
}

static void
pf_put_record(struct pfile *pf, const struct dir_record *dr)
{
	struct pitem	*it;
	struct dir_attr	*attrs;
	const char	**vals;
	char		*p;
	size_t		 size, nvals = 0, i, len;
	uint32_t	 j;

	size = sizeof(*it) + dr->nattrs * sizeof(*attrs) + strlen(dr->id) + 1;
	for (i = 0; i < dr->nattrs; i++) {
		nvals += dr->attrs[i].nvalues;
		for (j = 0; j < dr->attrs[i].nvalues; j++)
			size += strlen(dr->attrs[i].values[j]) + 1;
	}
	size += nvals * sizeof(*vals);
	it = pf_item(pf, PITEM_RECORD, size);
	attrs = (struct dir_attr *)(it + 1);
	vals = (const char **)(attrs + dr->nattrs);
	p = (char *)(vals + nvals);
	it->u.rec = *dr;
	it->u.rec.src.file = NULL;
	it->u.rec.attrs = attrs;
	len = strlen(dr->id) + 1;
	it->u.rec.id = memcpy(p, dr->id, len);
	p += len;
	for (i = 0; i < dr->nattrs; i++) {
		attrs[i] = dr->attrs[i];
		attrs[i].values = vals;
		for (j = 0; j < dr->attrs[i].nvalues; j++) {
			len = strlen(dr->attrs[i].values[j]) + 1;
			*vals++ = memcpy(p, dr->attrs[i].values[j], len);
			p += len;
		}
	}
}

/* diag_capture() of a worker: the diagnostic joins the items. */
static void
pf_put_diag(void *arg, enum diag_code code, const struct diag_pos *pos,
    const char *detail)
{
	struct pfile	*pf = arg;
	struct pitem	*it;
	size_t		 flen, dlen;
	char		*p;

	flen = pos != NULL && pos->file != NULL ? strlen(pos->file) + 1 : 0;
	dlen = strlen(detail) + 1;
	it = pf_item(pf, PITEM_DIAG, sizeof(*it) + flen + dlen);
	p = (char *)(it + 1);
	it->u.diag.code = code;
	it->u.diag.has_pos = pos != NULL;
	it->u.diag.pos.file = NULL;
	it->u.diag.pos.line = pos != NULL ? pos->line : 0;
	it->u.diag.pos.col = pos != NULL ? pos->col : 0;
	if (flen > 0) {
		it->u.diag.pos.file = memcpy(p, pos->file, flen);
		p += flen;
	}
	it->u.diag.detail = memcpy(p, detail, dlen);
}

/* Apply a block's items, on the applying thread; name: the file's. */
static void
pblock_apply(struct directory *d, const char *name, struct pblock *b)
{
	struct pitem	*it;
	size_t		 off;

	for (off = 0; off < b->used; off += it->size) {
		it = (struct pitem *)(void *)(b->data + off);
		switch (it->kind) {
		case PITEM_RECORD:
			it->u.rec.src.file = name;
			record_apply(d, &it->u.rec);
			break;
		case PITEM_COUNT:
			count_apply(d, it->u.count);
			break;
		case PITEM_DIAG:
			diag(it->u.diag.code, it->u.diag.has_pos ?
			    &it->u.diag.pos : NULL, "%s", it->u.diag.detail);
			break;
		}
	}
}

/* A finished request: to the directory, or to the applying thread. */
static void
rd_record(struct reader *rd, const struct dir_record *dr)
{
	if (rd->pf != NULL)
		pf_put_record(rd->pf, dr);
	else
		record_apply(rd->dir, dr);
}

static void
rd_count(struct reader *rd, enum rd_count c)
{
	if (rd->pf != NULL)
		pf_item(rd->pf, PITEM_COUNT, sizeof(struct pitem))->u.count = c;
	else
		count_apply(rd->dir, c);
}

static void
rec_reset(struct rec *r)
{
	arena_reset(&r->arena);
	r->active = 0;
	r->bad = 0;
	r->ctx = CTX_NONE;
	r->id = NULL;
	r->category = NULL;
	r->nattrs = 0;
	r->nseen = 0;
	r->cur = NULL;
	r->nvals = 0;
	r->in_value = 0;
	r->in_id = 0;
	buf_reset(&r->text);
}

/*
 * The line xmlTextReader gave the node being acted upon: an element's
 * start tag line, and for an entity reference its parent element's
 * (xmlGetLineNo of a reference node, whose earlier siblings the reader
 * had already freed).
 */
static unsigned int
node_line(struct reader *rd)
{
	return rd->cur != NULL ? rd->cur->line : 0;
}

static void
rec_diag(struct reader *rd, enum diag_code code, unsigned int line,
    const char *arg)
{
	struct diag_pos	 pos = { rd->name, line, 0 };

	diag(code, &pos, "%s", arg);
}

/*
 * Reject the current record once, with a reason.  A malformed record
 * names both its id and what is wrong with it: "malformed record,
 * skipped: 2987728" alone would leave the administrator guessing.
 */
static void
rec_bad(struct reader *rd, enum diag_code code, const char *what)
{
	struct rec	*r = &rd->rec;
	struct diag_pos	 pos = { rd->name, 0, 0 };

	if (r->bad)
		return;
	r->bad = 1;
	pos.line = node_line(rd);
	if (code == DIAG_BAD_RECORD && r->id != NULL)
		diag(code, &pos, "%s: %s", r->id, what);
	else
		rec_diag(rd, code, pos.line, r->id != NULL ? r->id : what);
}

/* Close the attribute collecting values: move them into the arena. */
static void
rec_end_attr(struct rec *r)
{
	if (r->cur == NULL)
		return;
	r->cur->values = arena_alloc(&r->arena,
	    (r->nvals == 0 ? 1 : r->nvals) * sizeof(char *));
	if (r->nvals > 0)
		memcpy(r->cur->values, r->vals, r->nvals * sizeof(char *));
	r->cur->nvalues = r->nvals;
	r->cur = NULL;
	r->nvals = 0;
}

static char *
trimmed(struct rec *r)
{
	size_t	 s = 0, e = r->text.len;

	while (s < e && (r->text.p[s] == ' ' || r->text.p[s] == '\t' ||
	    r->text.p[s] == '\n' || r->text.p[s] == '\r'))
		s++;
	while (e > s && (r->text.p[e - 1] == ' ' || r->text.p[e - 1] == '\t' ||
	    r->text.p[e - 1] == '\n' || r->text.p[e - 1] == '\r'))
		e--;
	return arena_strndup(&r->arena, r->text.p + s, e - s);
}

/* A <value> or <id> ended: store its text where it belongs. */
static void
rec_end_text(struct reader *rd)
{
	struct rec	*r = &rd->rec;
	char		*v;

	v = trimmed(r);
	buf_reset(&r->text);
	if (r->in_id) {
		r->in_id = 0;
		if (r->id == NULL && v[0] != '\0')
			r->id = v;
		return;
	}
	r->in_value = 0;
	if (r->ctx == CTX_OPER) {
		if (r->category == NULL && v[0] != '\0')
			r->category = v;
		return;
	}
	if (r->cur == NULL)
		return;
	if (r->nvals >= MAX_VALUES) {
		rec_bad(rd, DIAG_BAD_RECORD, "more than " MAX_VALUES_STR
		    " values in one attribute");
		return;
	}
	if (r->nvals == r->capvals) {
		r->capvals = r->capvals == 0 ? 16 : r->capvals * 2;
		r->vals = xreallocarray(r->vals, r->capvals, sizeof(char *));
	}
	r->vals[r->nvals++] = v;
}

static void
rec_finish(struct reader *rd)
{
	struct rec		*r = &rd->rec;
	struct dir_record	 dr;
	enum dir_cat		 cat;

	rec_end_attr(r);
	if (r->bad) {
		rd_count(rd, COUNT_REJECTED);
		return;
	}
	if (r->id == NULL) {
		rec_diag(rd, DIAG_NO_ID, r->line, "");
		rd_count(rd, COUNT_REJECTED);
		return;
	}
	if (r->category == NULL) {
		rec_diag(rd, DIAG_NO_CATEGORY, r->line, r->id);
		rd_count(rd, COUNT_REJECTED);
		return;
	}
	if ((cat = cat_from_name(r->category, NULL)) == CAT_NONE) {
		struct diag_pos pos = { rd->name, r->line, 0 };

		diag(DIAG_BAD_CATEGORY, &pos, "%s, id %s", r->category, r->id);
		rd_count(rd, COUNT_REJECTED);
		return;
	}
	dr.op = r->op;
	dr.cat = cat;
	dr.delta = rd->delta;
	dr.id = r->id;
	dr.attrs = r->attrs;
	dr.nattrs = r->nattrs;
	dr.src.file = rd->name;
	dr.src.line = r->line;
	rd_record(rd, &dr);
}

/* --- node handling -------------------------------------------------- */

/* Is n, a name from the parser, the name k?  See enum nm. */
static int
name_is(const struct reader *rd, const xmlChar *n, enum nm k)
{
	return n != NULL && n == rd->nm[k];
}

/* A "name" or "operation" attribute of the current start tag, or NULL. */
static const char *
node_attr(struct reader *rd, const char *name)
{
	int64_t	 off;

	if (rd->cur == NULL || rd->cur->type != EV_START)
		return NULL;
	off = strcmp(name, "name") == 0 ? rd->cur->name_attr :
	    rd->cur->op_attr;
	return off < 0 ? NULL : rd->evtext.p + off;
}

/* attr_field(), through the memo of the last request's names. */
static enum dir_field
attr_lookup(struct rec *r, const char *name)
{
	struct attr_memo	*m;
	size_t			 len;

	if (r->nseen >= MEMO_ATTRS || *name == '\0')
		return attr_field(name);
	m = &r->memo[r->nseen++];
	if (strcmp(m->name, name) == 0)
		return m->f;
	m->f = attr_field(name);
	if ((len = strlen(name)) < sizeof(m->name))
		memcpy(m->name, name, len + 1);
	else
		m->name[0] = '\0';
	return m->f;
}

static void
start_element(struct reader *rd, int depth, const xmlChar *name, int empty)
{
	struct rec	*r = &rd->rec;
	const char	*attr;
	enum dir_field	 f;

	if (depth == 0) {
		rd->root_seen = 1;
		return;
	}
	if (depth == 1) {
		rec_reset(r);
		if (name_is(rd, name, NM_ADD))
			r->op = OP_ADD;
		else if (name_is(rd, name, NM_MODIFY))
			r->op = OP_MODIFY;
		else if (name_is(rd, name, NM_DELETE))
			r->op = OP_DELETE;
		else
			return;		/* unknown top-level element: skipped */
		r->active = 1;
		r->line = node_line(rd);
		if (empty) {
			rec_finish(rd);
			r->active = 0;
		}
		return;
	}
	if (!r->active || r->bad)
		return;
	if (depth == 2) {
		rec_end_attr(r);
		if (name_is(rd, name, NM_OPER))
			r->ctx = CTX_OPER;
		else if (name_is(rd, name, NM_IDENTIFIER))
			r->ctx = CTX_IDENT;
		else if (name_is(rd, name, NM_ATTRIBUTES) ||
		    name_is(rd, name, NM_MODIFICATIONS))
			r->ctx = CTX_ATTRS;
		else
			r->ctx = CTX_OTHER;
		return;
	}
	if (depth == 3) {
		rec_end_attr(r);
		if (r->ctx == CTX_IDENT && name_is(rd, name, NM_ID)) {
			r->in_id = !empty;
			buf_reset(&r->text);
			return;
		}
		if (r->ctx != CTX_ATTRS)
			return;
		if (!name_is(rd, name, NM_ATTR) &&
		    !name_is(rd, name, NM_MODIFICATION))
			return;
		if ((attr = node_attr(rd, "name")) == NULL) {
			rec_bad(rd, DIAG_BAD_RECORD, "attribute without name");
			return;
		}
		f = attr_lookup(r, attr);
		if (name_is(rd, name, NM_MODIFICATION)) {
			const char *op = node_attr(rd, "operation");
			if (op != NULL && strcmp(op, "replace") != 0)
				rec_diag(rd, DIAG_BAD_OPERATION, node_line(rd),
				    op);
		}
		if (f == FIELD_NONE)
			return;
		if (r->nattrs == MAX_ATTRS) {
			rec_bad(rd, DIAG_BAD_RECORD, "more than " MAX_ATTRS_STR
			    " of the attributes entpress reads");
			return;
		}
		r->cur = &r->attrs[r->nattrs++];
		r->cur->field = f;
		r->cur->values = NULL;
		r->cur->nvalues = 0;
		r->cur->line = node_line(rd);
		r->nvals = 0;
		return;
	}
	if (depth == 4 && name_is(rd, name, NM_VALUE) &&
	    (r->ctx == CTX_OPER || (r->ctx == CTX_ATTRS && r->cur != NULL))) {
		buf_reset(&r->text);
		if (empty)
			rec_end_text(rd);
		else
			r->in_value = 1;
	}
}

static void
end_element(struct reader *rd, int depth, const xmlChar *name)
{
	struct rec	*r = &rd->rec;

	if (!r->active)
		return;
	if (depth == 1) {
		rec_finish(rd);
		r->active = 0;
		return;
	}
	if (r->bad)
		return;
	if ((r->in_value && depth == 4) || (r->in_id && depth == 3))
		rec_end_text(rd);
	else if (depth == 3)
		rec_end_attr(r);
}

static void
text_node(struct reader *rd, const char *v, size_t len)
{
	struct rec	*r = &rd->rec;

	if (!r->active || r->bad || (!r->in_value && !r->in_id))
		return;
	buf_add(&r->text, v, len);
}

/*
 * libxml2 reports through this handler.  Errors become our diagnostics
 * with libxml2's own line and column; its warnings carry nothing we act
 * on and are dropped.
 */
static _Thread_local struct reader *aaf_cur;	/* this thread's reader */

static void
xml_error(void *ctx, xmlErrorPtr e)
{
	struct reader	*rd = aaf_cur;
	struct diag_pos	 pos;
	enum diag_code	 code;
	char		 msg[256];
	size_t		 len;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	switch (e->code) {
	case XML_ERR_INVALID_CHAR:
	case XML_ERR_UNKNOWN_ENCODING:
	case XML_ERR_UNSUPPORTED_ENCODING:
	case XML_ERR_INVALID_ENCODING:
	case XML_I18N_CONV_FAILED:
		code = DIAG_XML_ENCODING;
		break;
	default:
		code = DIAG_XML;
		break;
	}
	snprintf(msg, sizeof(msg), "%s", e->message != NULL ? e->message : "");
	/* libxml2 messages may span lines; ours are one line each. */
	for (len = 0; msg[len] != '\0'; len++)
		if (msg[len] == '\n' || msg[len] == '\t')
			msg[len] = ' ';
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	pos.file = rd->name;
	pos.line = e->line > 0 ? (unsigned int)e->line : 0;
	pos.col = e->int2 > 0 ? (unsigned int)e->int2 : 0;
	/*
	 * Non-fatal errors (namespaces, say) do not stop the reader and are
	 * not reported.  Some do stop it all the same (a text node over
	 * libxml2's 10 MB limit is an error, not a fatal one): the last one
	 * is kept, so that read_stream() can say why the file ended early
	 * instead of a bare "parser stopped".
	 */
	if (e->level != XML_ERR_FATAL) {
		if (code == DIAG_XML) {
			memcpy(rd->quiet, msg, len + 1);
			rd->quietpos = pos;
			return;
		}
	} else if (rd->fatal)
		return;
	else
		rd->fatal = 1;
	diag(code, &pos, "%s", msg);
}

/* Never load anything from outside: no DTD, no external entity. */
static xmlParserInputPtr
no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

/* --- events --------------------------------------------------------- */

static struct ev *
ev_new(struct reader *rd, enum ev_type type, int depth, unsigned int line)
{
	struct ev	*e;

	if (rd->nev == rd->capev) {
		rd->capev = rd->capev == 0 ? 256 : rd->capev * 2;
		rd->ev = xreallocarray(rd->ev, rd->capev, sizeof(*rd->ev));
	}
	e = &rd->ev[rd->nev++];
	if (type != EV_TEXT)
		rd->textrun = 0;	/* the text node ended */
	e->type = type;
	e->depth = depth;
	e->line = line;
	e->name = NULL;
	e->name_attr = e->op_attr = -1;
	e->off = e->len = 0;
	return e;
}

static int64_t
ev_text(struct reader *rd, const xmlChar *v, size_t len)
{
	int64_t	 off = (int64_t)rd->evtext.len;

	buf_add(&rd->evtext, v, len);
	buf_addc(&rd->evtext, '\0');
	return off;
}

/*
 * An attribute value as xmlTextReader gave it.  The parser hands SAX a
 * value with its references still in it (the ampersand of &amp; as
 * &#38;), in a copy ending in NUL; the reader's tree builder made a node
 * list of it and read back its content.
 */
static int64_t
ev_attr(struct reader *rd, const xmlChar *v, const xmlChar *end)
{
	xmlAttrPtr	 a;
	xmlNodePtr	 n;
	xmlChar		*content;
	int64_t		 off;

	if (*end != '\0' || memchr(v, '&', (size_t)(end - v)) == NULL ||
	    rd->ctxt->myDoc == NULL)
		return ev_text(rd, v, (size_t)(end - v));
	a = xmlNewDocProp(rd->ctxt->myDoc, BAD_CAST "name", NULL);
	if (a == NULL)
		diag_fatal_nomem();
	a->children = xmlStringLenGetNodeList(rd->ctxt->myDoc, v,
	    (int)(end - v));
	for (n = a->children; n != NULL; n = n->next) {
		n->parent = (xmlNodePtr)a;
		a->last = n;
	}
	content = xmlNodeGetContent((xmlNodePtr)a);
	off = ev_text(rd, content != NULL ? content : BAD_CAST "",
	    content != NULL ? strlen((const char *)content) : 0);
	xmlFree(content);
	xmlFreeProp(a);
	return off;
}

/*
 * Callbacks run for the document and for the content of an entity,
 * which libxml2 parses with a context of its own on first reference.
 * That content is built into a tree by libxml2's SAX2 handlers, as
 * xmlTextReader did: the parser then checks it and reports the
 * reference itself, which is what we act upon.
 */
static struct reader *
sax_doc(void *ctx)
{
	return aaf_cur != NULL && ctx == (void *)aaf_cur->ctxt ?
	    aaf_cur : NULL;
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
	struct reader	*rd = sax_doc(ctx);
	xmlParserCtxtPtr ctxt = ctx;
	struct ev	*e;
	unsigned int	 line;
	int		 i;

	/* Opening any element ends xmlTextReader's push. */
	if (aaf_cur != NULL)
		aaf_cur->opened = 1;
	if (rd == NULL) {
		xmlSAX2StartElementNs(ctx, localname, prefix, uri,
		    nb_namespaces, namespaces, nb_attributes, nb_defaulted,
		    attrs);
		return;
	}
	line = ctxt->input != NULL && ctxt->input->line > 0 ?
	    (unsigned int)ctxt->input->line : 0;
	if ((size_t)rd->depth == rd->caplines) {
		rd->caplines = rd->caplines == 0 ? 16 : rd->caplines * 2;
		rd->lines = xreallocarray(rd->lines, rd->caplines,
		    sizeof(*rd->lines));
	}
	rd->lines[rd->depth] = line;
	e = ev_new(rd, EV_START, rd->depth++, line);
	/*
	 * The tree builder names an element whose prefix is bound to no
	 * namespace by its qualified name, and so did the reader.
	 */
	e->name = localname;
	if (prefix != NULL && uri == NULL &&
	    (e->name = xmlDictQLookup(ctxt->dict, prefix, localname)) == NULL)
		e->name = localname;
	/*
	 * attrs: localname, prefix, URI, value, end for each; the tree
	 * builder dropped the ones defaulted by the DTD, and the reader
	 * found "name" among those without a prefix.
	 */
	for (i = 0; i < nb_attributes - nb_defaulted; i++) {
		if (attrs[5 * i + 1] != NULL)
			continue;
		if (name_is(rd, attrs[5 * i], NM_NAME) && e->name_attr < 0)
			e->name_attr = ev_attr(rd, attrs[5 * i + 3],
			    attrs[5 * i + 4]);
		else if (name_is(rd, attrs[5 * i], NM_OPERATION) &&
		    e->op_attr < 0)
			e->op_attr = ev_attr(rd, attrs[5 * i + 3],
			    attrs[5 * i + 4]);
	}
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct reader	*rd = sax_doc(ctx);
	struct ev	*e;

	if (rd == NULL) {
		xmlSAX2EndElementNs(ctx, localname, prefix, uri);
		return;
	}
	if (rd->depth == 0)
		return;
	rd->depth--;
	e = ev_new(rd, EV_END, rd->depth, rd->lines[rd->depth]);
	e->name = localname;
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct reader	*rd = sax_doc(ctx);
	struct ev	*e;

	if (rd == NULL) {
		xmlSAX2Characters(ctx, ch, len);
		return;
	}
	if (len <= 0)
		return;
	/*
	 * libxml2's tree builder refuses a text node over its limit
	 * (10 MB without XML_PARSE_HUGE) and the parse stops there;
	 * SAX hands it over in pieces with no limit at all.  The
	 * same limit, the same stop and libxml2's words keep an
	 * export of one endless value from growing the buffer
	 * without bound, and it reads as it did.
	 */
	rd->textrun += (size_t)len;
	if (rd->textrun > XML_MAX_TEXT_LENGTH) {
		snprintf(rd->quiet, sizeof(rd->quiet), "%s",
		    "xmlSAX2Characters: huge text node");
		rd->quietpos.file = rd->name;
		rd->quietpos.line = xmlSAX2GetLineNumber(rd->ctxt) > 0 ?
		    (unsigned int)xmlSAX2GetLineNumber(rd->ctxt) : 0;
		rd->quietpos.col = xmlSAX2GetColumnNumber(rd->ctxt) > 0 ?
		    (unsigned int)xmlSAX2GetColumnNumber(rd->ctxt) : 0;
		xmlStopParser(rd->ctxt);
		rd->ctxt->wellFormed = 0;
		return;
	}
	/* Consecutive pieces of one text node make one event. */
	if (rd->nev > 0 && rd->ev[rd->nev - 1].type == EV_TEXT) {
		e = &rd->ev[rd->nev - 1];
		rd->evtext.len--;	/* its NUL */
		buf_add(&rd->evtext, ch, (size_t)len);
		buf_addc(&rd->evtext, '\0');
		e->len += (size_t)len;
		return;
	}
	e = ev_new(rd, EV_TEXT, rd->depth, 0);
	e->off = (size_t)ev_text(rd, ch, (size_t)len);
	e->len = (size_t)len;
}

static void
sax_cdata(void *ctx, const xmlChar *ch, int len)
{
	if (sax_doc(ctx) == NULL)
		xmlSAX2CDataBlock(ctx, ch, len);
	else
		sax_text(ctx, ch, len);
}

static void
sax_reference(void *ctx, const xmlChar *name)
{
	struct reader	*rd = sax_doc(ctx);

	if (rd == NULL) {
		xmlSAX2Reference(ctx, name);
		return;
	}
	ev_new(rd, EV_ENTITY, rd->depth,
	    rd->depth > 0 ? rd->lines[rd->depth - 1] : 0);
}

/* Comments and processing instructions: nothing to us. */
static void
sax_comment(void *ctx, const xmlChar *value)
{
	if (sax_doc(ctx) == NULL)
		xmlSAX2Comment(ctx, value);
}

static void
sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	if (sax_doc(ctx) == NULL)
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

/*
 * Act upon the events of a push that went through, in order, as the
 * nodes xmlTextReader delivered.  Returns -2 when the document is not
 * an AAF export (nothing more is read), else 0.
 */
static int
ev_replay(struct reader *rd)
{
	const struct ev	*e;
	size_t		 i;
	int		 ret = 0;

	for (i = 0; i < rd->nev && ret == 0; i++) {
		e = rd->cur = &rd->ev[i];
		switch (e->type) {
		case EV_START:
			if (e->depth == 0 && !name_is(rd, e->name, NM_ROOT)) {
				struct diag_pos pos = { rd->name, e->line, 0 };
				diag(DIAG_NOT_AAF, &pos, "root element is %s",
				    (const char *)e->name);
				ret = -2;
				break;
			}
			start_element(rd, e->depth, e->name, 0);
			break;
		case EV_END:
			end_element(rd, e->depth, e->name);
			break;
		case EV_TEXT:
			text_node(rd, rd->evtext.p + e->off, e->len);
			break;
		case EV_ENTITY:
			/*
			 * Only predefined and character references are
			 * expanded; anything else would come from a DTD we
			 * refuse to trust.
			 */
			if (rd->rec.active)
				rec_bad(rd, DIAG_XML_ENTITY, "entity");
			else {
				struct diag_pos pos = { rd->name, e->line, 0 };
				diag(DIAG_XML_ENTITY, &pos, "%s",
				    "outside any record");
			}
			break;
		}
	}
	rd->cur = NULL;
	rd->nev = 0;
	buf_reset(&rd->evtext);
	return ret;
}

/* --- feeding the parser as xmlTextReader did ------------------------ */

#define FEED_CHUNK	512		/* xmlTextReader's CHUNK_SIZE */
#define FEED_READ	4096		/* its refills */

/*
 * The input of one document: a read callback (a file, an archive
 * member) or a buffer holding all of it (memory).  buf[cur..use) is read
 * but not parsed yet.
 */
struct feed {
	int		(*read)(void *, char *, int);	/* NULL: memory */
	void		*ctx;
	char		*buf;
	size_t		 use, cur, cap;
	int		 ended;		/* read said end or error: never again */
	int		 eof;		/* no more input: xmlTextReader's EOF mode */
	int		 done;		/* the terminating chunk was parsed */
	int		 started;	/* the first push went through */
};

/* xmlParserInputBufferRead: bytes read, 0 at the end, -1 on error. */
static int
feed_read(struct feed *f, int len)
{
	int	 n;

	if (f->read == NULL || f->ended)
		return 0;
	if (f->cap - f->use < (size_t)len + 1) {
		/* Drop what was parsed before growing. */
		if (f->cur > 0) {
			memmove(f->buf, f->buf + f->cur, f->use - f->cur);
			f->use -= f->cur;
			f->cur = 0;
		}
		while (f->cap - f->use < (size_t)len + 1)
			f->cap = f->cap == 0 ? 64 * 1024 : f->cap * 2;
		f->buf = xrealloc(f->buf, f->cap);
	}
	n = f->read(f->ctx, f->buf + f->use, len);
	if (n <= 0) {
		f->ended = 1;
		return n < 0 ? -1 : 0;
	}
	f->use += (size_t)n;
	return n;
}

/*
 * One xmlTextReaderPushData(): chunks until one opens an element, the
 * input ends or the document turns out malformed.  Returns 0, or -1
 * when the parser stopped (the events of this push are then dropped).
 */
static int
feed_push(struct reader *rd, struct feed *f)
{
	xmlParserCtxtPtr	 ctxt = rd->ctxt;
	size_t			 s;
	int			 val;

	rd->opened = 0;
	while (!rd->opened) {
		if (f->use < f->cur + FEED_CHUNK) {
			if (f->eof)
				break;
			val = feed_read(f, FEED_READ);
			if (val == 0 && f->read == NULL) {
				if (f->use == f->cur) {
					f->eof = 1;
					break;
				}
			} else if (val < 0) {
				f->eof = 1;
				if (f->started || ctxt->myDoc != NULL)
					return -1;
				break;
			} else if (val == 0) {
				f->eof = 1;
				break;
			}
		}
		if (f->use >= f->cur + FEED_CHUNK) {
			val = xmlParseChunk(ctxt, f->buf + f->cur, FEED_CHUNK, 0);
			f->cur += FEED_CHUNK;
			if (val != 0)
				ctxt->wellFormed = 0;
			if (ctxt->wellFormed == 0)
				break;
		} else {
			s = f->use - f->cur;
			val = xmlParseChunk(ctxt, f->buf + f->cur, (int)s, 0);
			f->cur += s;
			if (val != 0)
				ctxt->wellFormed = 0;
			break;
		}
	}
	if (f->eof && !f->done) {
		s = f->use - f->cur;
		val = xmlParseChunk(ctxt, f->buf + f->cur, (int)s, 1);
		f->cur = f->use;
		f->done = 1;
		if (val != 0) {
			if (ctxt->wellFormed)
				ctxt->wellFormed = 0;
			else
				return -1;
		}
	}
	if (ctxt->wellFormed == 0) {
		f->eof = 1;
		return -1;
	}
	return 0;
}

/*
 * Parser options: never XML_PARSE_NOENT (no entity substitution), never
 * DTDLOAD/DTDATTR/DTDVALID (the external DTD stays unread), NONET, and
 * not HUGE, so libxml2's own limits on entity amplification hold.
 */
#define AAF_XML_OPTIONS	(XML_PARSE_NONET | XML_PARSE_BIG_LINES | \
			 XML_PARSE_COMPACT | XML_PARSE_NOCDATA)

/*
 * Stream one source through the state machine, its records applied to
 * d or, on a worker thread, queued in pf.  Returns 0 when the file was
 * read to its end, -1 when a fatal error stopped it.
 */
static int
read_feed(struct directory *d, struct pfile *pf, const char *name,
    struct feed *f, int delta)
{
	struct reader	 rd;
	xmlSAXHandler	 sax;
	int		 ret = 0, i;

	memset(&rd, 0, sizeof(rd));
	rd.dir = d;
	rd.pf = pf;
	rd.name = name;
	rd.delta = delta;

	/* libxml2's SAX2 defaults (DTD, entities), our content handlers. */
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_cdata;
	sax.reference = sax_reference;
	sax.comment = sax_comment;
	sax.processingInstruction = sax_pi;
	sax.warning = NULL;
	sax.error = NULL;
	sax.serror = xml_error;

	/*
	 * libxml2 reports some errors while it creates the parser (the
	 * encoding detected in the first bytes, a conversion that fails in
	 * the first block), before the SAX handler is the context's: those
	 * go to the global handler, which would print them raw on the
	 * standard error.  Both point at this source while it is read.
	 */
	aaf_cur = &rd;
	xmlSetStructuredErrorFunc(&rd, xml_error);

	/* xmlTextReader starts the parser with the first four bytes. */
	feed_read(f, 4);
	if (f->use >= 4) {
		rd.ctxt = xmlCreatePushParserCtxt(&sax, NULL, f->buf, 4, NULL);
		f->cur = 4;
	} else
		rd.ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
	if (rd.ctxt == NULL) {
		aaf_cur = NULL;
		xmlSetStructuredErrorFunc(NULL, NULL);
		if (rd.fatal)
			return -1;	/* already said why */
		diag_sys(DIAG_SYS_OPEN, name, "%s", "cannot start XML reader");
		return -1;
	}
	xmlCtxtUseOptions(rd.ctxt, AAF_XML_OPTIONS);
	rd.ctxt->linenumbers = 1;
	rd.ctxt->_private = &rd;
	for (i = 0; i < NM__MAX; i++)
		if ((rd.nm[i] = xmlDictLookup(rd.ctxt->dict,
		    (const xmlChar *)nm_text[i], -1)) == NULL)
			diag_fatal_nomem();

	arena_init(&rd.rec.arena);
	buf_init(&rd.rec.text);
	buf_init(&rd.evtext);
	rec_reset(&rd.rec);
	rd_count(&rd, COUNT_FILE);

	/*
	 * xmlTextReader pushes until the root element is open, delivers,
	 * then pushes again each time it has delivered everything.
	 */
	do {
		if ((ret = feed_push(&rd, f)) != 0)
			break;
	} while (rd.depth == 0 && !f->eof && !f->done);
	f->started = 1;
	while (ret == 0) {
		if ((ret = ev_replay(&rd)) != 0 || f->done)
			break;
		ret = feed_push(&rd, f);
	}
	if (ret == 0 && !rd.root_seen && !rd.fatal) {
		struct diag_pos pos = { rd.name, 0, 0 };
		diag(DIAG_NOT_AAF, &pos, "%s", "empty document");
	}
	if (ret < 0 && rd.rec.active)
		rd_count(&rd, COUNT_CUT);
	if (ret == -1 && !rd.fatal && rd.quiet[0] != '\0')
		diag(DIAG_XML, &rd.quietpos, "%s", rd.quiet);
	else if (ret == -1 && !rd.fatal) {
		struct diag_pos pos = { rd.name, rd.ctxt->input != NULL &&
		    rd.ctxt->input->line > 0 ?
		    (unsigned int)rd.ctxt->input->line : 0, 0 };
		diag(DIAG_XML, &pos, "%s", "parser stopped");
	}
	aaf_cur = NULL;
	xmlSetStructuredErrorFunc(NULL, NULL);
	rd_count(&rd, COUNT_FILE_READ);
	if (rd.ctxt->myDoc != NULL)
		xmlFreeDoc(rd.ctxt->myDoc);
	rd.ctxt->myDoc = NULL;
	xmlFreeParserCtxt(rd.ctxt);
	free(rd.ev);
	free(rd.lines);
	buf_free(&rd.evtext);
	free(rd.rec.vals);
	buf_free(&rd.rec.text);
	arena_free(&rd.rec.arena);
	return ret == 0 ? 0 : -1;
}

int
aaf_read_memory(struct directory *d, const char *name, const char *buf,
    size_t len, int delta)
{
	struct feed	 f;

	xmlSetExternalEntityLoader(no_external);
	if (len > INT32_MAX) {
		diag_sys(DIAG_SYS_READ, name, "%s", "file too large");
		return -1;
	}
	memset(&f, 0, sizeof(f));
	f.buf = (char *)buf;
	f.use = len;
	return read_feed(d, NULL, directory_intern(d, name), &f, delta);
}

/* --- files and archives as libxml2 input ---------------------------- */

/*
 * The parser is fed 4096 bytes at a time; reading the file in large
 * blocks and serving those requests from memory saves nearly all the
 * system calls on a large export.
 */
#define FDIN_BUFSZ	(256 * 1024)

struct fdin {
	int		 fd;
	const char	*name;
	int		 err;
	char		*buf;
	size_t		 off, len;
};

static int
fd_read(void *ctx, char *buf, int len)
{
	struct fdin	*in = ctx;
	ssize_t		 n;
	size_t		 k;

	if (in->off == in->len) {
		do
			n = read(in->fd, in->buf, FDIN_BUFSZ);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			in->err = errno;
			return -1;
		}
		in->off = 0;
		in->len = (size_t)n;
		if (n == 0)
			return 0;
	}
	k = in->len - in->off;
	if (k > (size_t)len)
		k = (size_t)len;
	memcpy(buf, in->buf + in->off, k);
	in->off += k;
	return (int)k;
}

/*
 * Read a file into d, or on a worker thread into pf (d NULL): the name
 * is then the source's own, for the directory is the applying thread's
 * alone.
 */
static int
read_file(struct directory *d, struct pfile *pf, const struct aaf_source *src)
{
	struct feed	 f;
	struct fdin	 in;
	struct stat	 st;
	int		 ret;
	const char	*name = pf != NULL ? src->name :
			    directory_intern(d, src->name);

	if ((in.fd = open(src->path, O_RDONLY | O_CLOEXEC)) == -1) {
		diag_sys(DIAG_SYS_OPEN, name, "%s", strerror(errno));
		return -1;
	}
	/* libxml2's message for an empty file is "Extra content". */
	if (fstat(in.fd, &st) == 0 && st.st_size == 0) {
		diag(DIAG_NOT_AAF, &(struct diag_pos){ name, 0, 0 }, "%s",
		    "empty file");
		close(in.fd);
		return -1;
	}
	in.name = name;
	in.err = 0;
	in.buf = xmalloc(FDIN_BUFSZ);
	in.off = in.len = 0;
	memset(&f, 0, sizeof(f));
	f.read = fd_read;
	f.ctx = &in;
	ret = read_feed(d, pf, name, &f, src->kind == AAF_DELTA);
	free(f.buf);
	free(in.buf);
	if (in.err != 0) {
		diag_sys(DIAG_SYS_READ, name, "%s", strerror(in.err));
		ret = -1;
	}
	close(in.fd);
	return ret;
}

/*
 * An archive kept open across members: sources are read in sorted
 * order, which is nearly always the archive's own order, so the cursor
 * only reopens the archive when asked for a member it already passed.
 */
struct arcursor {
	struct archive	*a;
	const char	*path;
	size_t		 next;		/* index of the next header */
	int		 err;
};

static void
arc_close(struct arcursor *c)
{
	if (c->a != NULL)
		archive_read_free(c->a);
	c->a = NULL;
	c->path = NULL;
	c->next = 0;
}

static struct archive *
arc_open(const char *path)
{
	struct archive	*a;

	a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		diag(DIAG_BAD_ARCHIVE, &(struct diag_pos){ path, 0, 0 }, "%s",
		    archive_error_string(a) != NULL ?
		    archive_error_string(a) : "cannot open");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Position the cursor on member index; 0 on success. */
static int
arc_seek(struct arcursor *c, const char *path, size_t index)
{
	struct archive_entry	*e;
	int			 r;

	if (c->a != NULL && (strcmp(c->path, path) != 0 || index < c->next))
		arc_close(c);
	if (c->a == NULL) {
		if ((c->a = arc_open(path)) == NULL)
			return -1;
		c->path = path;
		c->next = 0;
	}
	for (;;) {
		r = archive_read_next_header(c->a, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			diag(DIAG_BAD_ARCHIVE, &(struct diag_pos){ path, 0, 0 },
			    "%s", archive_error_string(c->a) != NULL ?
			    archive_error_string(c->a) : "member missing");
			arc_close(c);
			return -1;
		}
		if (c->next++ == index)
			return 0;
	}
}

static int
arc_read(void *ctx, char *buf, int len)
{
	struct arcursor	*c = ctx;
	la_ssize_t	 n;

	n = archive_read_data(c->a, buf, (size_t)len);
	if (n < 0) {
		c->err = 1;
		return -1;
	}
	return (int)n;
}

static int
read_member(struct directory *d, struct arcursor *c,
    const struct aaf_source *src)
{
	struct feed	 f;
	const char	*name = directory_intern(d, src->name);
	int		 ret;

	if (arc_seek(c, src->path, src->index) != 0)
		return -1;
	c->err = 0;
	memset(&f, 0, sizeof(f));
	f.read = arc_read;
	f.ctx = c;
	ret = read_feed(d, NULL, name, &f, src->kind == AAF_DELTA);
	free(f.buf);
	if (c->err) {
		diag(DIAG_BAD_ARCHIVE, &(struct diag_pos){ name, 0, 0 }, "%s",
		    archive_error_string(c->a) != NULL ?
		    archive_error_string(c->a) : "read error");
		arc_close(c);
		ret = -1;
	}
	return ret;
}

/* --- plain files on worker threads -------------------------------- */

/*
 * Parsing is most of the reading: plain files are parsed on up to
 * PREAD_WORKERS threads, each taking the next file no one took yet,
 * while the calling thread applies what they queued, file after file in
 * the order of the set (see aaf_read()).  A file's queue holds at most
 * PFILE_MAX_BLOCKS blocks: a worker ahead of the applying thread waits
 * there, which bounds memory on exports of very large files (16 MB a
 * file, and at most three files have blocks waiting: the one being
 * applied and the two the workers read).  A 10,000-student chunk takes
 * about 5 MB, so the worker on the next file seldom waits.
 */
#define PREAD_WORKERS		2
#define PFILE_MAX_BLOCKS	256

struct pread {
	pthread_mutex_t	 mu;
	pthread_cond_t	 more;		/* blocks of the applied file, or done */
	pthread_cond_t	 room;		/* blocks were applied */
	struct pfile	*files;		/* the plain files, in set order */
	size_t		 nfiles;
	size_t		 next;		/* the first no worker took */
	size_t		 at;		/* the one being applied */
	struct pblock	*spare;		/* applied blocks, to fill again */
	pthread_t	 th[PREAD_WORKERS];
	int		 nth;
};

/*
 * Hand the block being filled, if any, over to the applying thread;
 * then, if asked, take a spare block to fill next (NULL: none spare).
 */
static struct pblock *
pf_handover(struct pfile *pf, int spare)
{
	struct pread	*pr = pf->pr;
	struct pblock	*b = pf->cur;

	pf->cur = NULL;
	if (b == NULL && !spare)
		return NULL;
	pthread_mutex_lock(&pr->mu);
	if (b != NULL) {
		while (pf->nblocks >= PFILE_MAX_BLOCKS)
			pthread_cond_wait(&pr->room, &pr->mu);
		if (pf->tail != NULL)
			pf->tail->next = b;
		else
			pf->head = b;
		pf->tail = b;
		pf->nblocks++;
		if (pf == &pr->files[pr->at])
			pthread_cond_signal(&pr->more);
	}
	b = NULL;
	if (spare && (b = pr->spare) != NULL)
		pr->spare = b->next;
	pthread_mutex_unlock(&pr->mu);
	return b;
}

/*
 * A worker: read_file() with the thread's diagnostics captured into the
 * file's queue (libxml2's errors come through xml_error() and diag()
 * too), then the next file.
 */
static void *
pread_main(void *arg)
{
	struct pread	*pr = arg;
	struct pfile	*pf;
	int		 ret;

	pthread_mutex_lock(&pr->mu);
	while (pr->next < pr->nfiles) {
		pf = &pr->files[pr->next++];
		pthread_mutex_unlock(&pr->mu);
		diag_capture(pf_put_diag, pf);
		ret = read_file(NULL, pf, pf->src);
		diag_capture(NULL, NULL);
		pf_handover(pf, 0);
		pthread_mutex_lock(&pr->mu);
		pf->ret = ret;
		pf->done = 1;
		if (pf == &pr->files[pr->at])
			pthread_cond_signal(&pr->more);
	}
	pthread_mutex_unlock(&pr->mu);
	return NULL;
}

/*
 * Start the workers when there are two plain files to read or more, and
 * as many workers as processors, at most PREAD_WORKERS.  NULL: the files
 * are read in place, as a single file always is.
 */
static struct pread *
pread_start(const struct aaf_set *set)
{
	struct pread	*pr;
	size_t		 i, n = 0;
	long		 ncpu;
	int		 want;

	for (i = 0; i < set->n; i++)
		if (!set->v[i].ignored && set->v[i].member == NULL)
			n++;
	if (n < 2)
		return NULL;
	pr = xcalloc(1, sizeof(*pr));
	pr->files = xcalloc(n, sizeof(*pr->files));
	for (i = 0; i < set->n; i++)
		if (!set->v[i].ignored && set->v[i].member == NULL) {
			pr->files[pr->nfiles].pr = pr;
			pr->files[pr->nfiles++].src = &set->v[i];
		}
	pthread_mutex_init(&pr->mu, NULL);
	pthread_cond_init(&pr->more, NULL);
	pthread_cond_init(&pr->room, NULL);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	want = ncpu < 1 ? 1 : ncpu < PREAD_WORKERS ? (int)ncpu : PREAD_WORKERS;
	if ((size_t)want > n)
		want = (int)n;
	while (pr->nth < want &&
	    pthread_create(&pr->th[pr->nth], NULL, pread_main, pr) == 0)
		pr->nth++;
	if (pr->nth == 0) {
		pthread_mutex_destroy(&pr->mu);
		pthread_cond_destroy(&pr->more);
		pthread_cond_destroy(&pr->room);
		free(pr->files);
		free(pr);
		return NULL;
	}
	return pr;
}

/*
 * Apply the k-th plain file as its worker queues it, then say how its
 * reading went: read_file()'s return.
 */
static int
pread_apply(struct pread *pr, size_t k, struct directory *d)
{
	struct pfile	*pf = &pr->files[k];
	struct pblock	*b;
	const char	*name = directory_intern(d, pf->src->name);
	int		 ret;

	pthread_mutex_lock(&pr->mu);
	pr->at = k;
	for (;;) {
		while (pf->head == NULL && !pf->done)
			pthread_cond_wait(&pr->more, &pr->mu);
		if ((b = pf->head) == NULL)
			break;
		if ((pf->head = b->next) == NULL)
			pf->tail = NULL;
		/* Workers of two files may wait: wake both. */
		if (pf->nblocks-- == PFILE_MAX_BLOCKS)
			pthread_cond_broadcast(&pr->room);
		pthread_mutex_unlock(&pr->mu);
		pblock_apply(d, name, b);
		pthread_mutex_lock(&pr->mu);
		if (b->cap == PBLOCK_CAP) {
			b->next = pr->spare;
			pr->spare = b;
		} else
			free(b);
	}
	ret = pf->ret;
	pthread_mutex_unlock(&pr->mu);
	return ret;
}

/* Every file was applied: the workers are through, or nearly. */
static void
pread_stop(struct pread *pr)
{
	struct pblock	*b;
	int		 i;

	if (pr == NULL)
		return;
	for (i = 0; i < pr->nth; i++)
		pthread_join(pr->th[i], NULL);
	while ((b = pr->spare) != NULL) {
		pr->spare = b->next;
		free(b);
	}
	pthread_mutex_destroy(&pr->mu);
	pthread_cond_destroy(&pr->more);
	pthread_cond_destroy(&pr->room);
	free(pr->files);
	free(pr);
}

/*
 * Read the set in its order.  Plain files go through the workers when
 * there are several (pread_start()); archive members are read here, in
 * turn, since they share one archive cursor.  Either way every record,
 * message and count reaches the directory and the standard error in the
 * order a reading of one file after the other gives.
 */
int
aaf_read(const struct aaf_set *set, struct directory *d)
{
	struct arcursor	 cur;
	struct pread	*pr;
	size_t		 i, k = 0;
	int		 ret = 0;

	xmlSetExternalEntityLoader(no_external);
	memset(&cur, 0, sizeof(cur));
	pr = pread_start(set);
	for (i = 0; i < set->n; i++) {
		if (set->v[i].ignored)
			continue;
		if (set->v[i].member != NULL) {
			if (read_member(d, &cur, &set->v[i]) != 0)
				ret = -1;
		} else if (pr != NULL) {
			if (pread_apply(pr, k++, d) != 0)
				ret = -1;
		} else if (read_file(d, NULL, &set->v[i]) != 0)
			ret = -1;
	}
	pread_stop(pr);
	arc_close(&cur);
	return ret;
}

/* --- collecting and ordering sources -------------------------------- */

void
aaf_set_init(struct aaf_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
aaf_set_free(struct aaf_set *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].path);
		free(s->v[i].member);
		free(s->v[i].prefix);
	}
	for (i = 0; i < s->ncsv; i++)
		free(s->csv[i]);
	free(s->csv);
	free(s->v);
	aaf_set_init(s);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static int
is_archive_name(const char *s)
{
	return ends_with(s, ".zip") || ends_with(s, ".tar.gz") ||
	    ends_with(s, ".tgz") || ends_with(s, ".tar");
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Parse <prefix>_<Complet|Delta>_<YYYYMMDD>_<Category>_<NNNN>.xml out of
 * the base name.  Unparsable names are Complet of unknown date.
 */
static void
parse_name(struct aaf_source *src)
{
	const char	*base, *k, *p, *q;
	size_t		 klen;
	int		 rank = 9;
	char		 cat[64];

	base = strrchr(src->member != NULL ? src->member : src->path, '/');
	base = base != NULL ? base + 1 :
	    (src->member != NULL ? src->member : src->path);
	src->kind = AAF_COMPLET;
	src->date[0] = '\0';
	src->catorder = 9;
	src->chunk = 0;
	src->named = 0;

	if ((k = strstr(base, "_Delta_")) != NULL) {
		src->kind = AAF_DELTA;
		klen = 7;
	} else if ((k = strstr(base, "_Complet_")) != NULL)
		klen = 9;
	else
		goto unnamed;
	src->prefix = xstrndup(base, (size_t)(k - base));
	p = k + klen;
	if (!all_digits(p, 8) || p[8] != '_')
		goto unnamed;
	memcpy(src->date, p, 8);
	src->date[8] = '\0';
	p += 9;
	if ((q = strchr(p, '_')) == NULL || (size_t)(q - p) >= sizeof(cat))
		goto unnamed;
	memcpy(cat, p, (size_t)(q - p));
	cat[q - p] = '\0';
	if (cat_from_name(cat, &rank) == CAT_NONE)
		goto unnamed;
	src->catorder = rank;
	if (!all_digits(q + 1, 4) || strcasecmp(q + 5, ".xml") != 0)
		goto unnamed;
	src->chunk = (unsigned int)atoi(q + 1);
	src->named = 1;
	return;
unnamed:
	if (src->prefix == NULL)
		src->prefix = xstrdup("");
}

static struct aaf_source *
add_source(struct aaf_set *set, const char *name, const char *path,
    const char *member, size_t index)
{
	struct aaf_source	*s;

	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	s = &set->v[set->n++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->path = xstrdup(path);
	s->member = member != NULL ? xstrdup(member) : NULL;
	s->index = index;
	parse_name(s);
	return s;
}

static int
collect_archive(struct aaf_set *set, const char *path)
{
	struct archive		*a;
	struct archive_entry	*e;
	const char		*m;
	char			*name;
	size_t			 index;
	int			 r, ret = 0;

	if ((a = arc_open(path)) == NULL)
		return -1;
	for (index = 0;; index++) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			diag(DIAG_BAD_ARCHIVE, &(struct diag_pos){ path, 0, 0 },
			    "%s", archive_error_string(a) != NULL ?
			    archive_error_string(a) : "bad header");
			ret = -1;
			break;
		}
		m = archive_entry_pathname(e);
		if (m == NULL || archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (!ends_with(m, ".xml")) {
			xasprintf(&name, "%s(%s)", path, m);
			diag(DIAG_NOT_AAF_FILE,
			    &(struct diag_pos){ name, 0, 0 }, "%s", "");
			free(name);
			continue;
		}
		xasprintf(&name, "%s(%s)", path, m);
		add_source(set, name, path, m, index);
		free(name);
	}
	archive_read_free(a);
	return ret;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
collect_dir(struct aaf_set *set, const char *path)
{
	DIR		*dp;
	struct dirent	*de;
	char		**names = NULL, *full;
	size_t		 n = 0, cap = 0, i;
	int		 ret = 0;

	if ((dp = opendir(path)) == NULL) {
		diag_sys(DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".xml"))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	/* readdir order is the file system's: sort for determinism. */
	if (n > 1)
		qsort(names, n, sizeof(*names), str_ptr_cmp);
	for (i = 0; i < n; i++) {
		xasprintf(&full, "%s%s%s", path,
		    ends_with(path, "/") ? "" : "/", names[i]);
		add_source(set, full, full, NULL, 0);
		free(full);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* Add one command-line argument. */
int
aaf_collect(struct aaf_set *set, const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		/* A wrong operand is the user's error, not the machine's. */
		diag_sys(errno == ENOENT || errno == ENOTDIR ? DIAG_NO_INPUT :
		    DIAG_SYS_OPEN, path, "%s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(set, path);
	if (!S_ISREG(st.st_mode)) {
		diag(DIAG_NOT_INPUT, &(struct diag_pos){ path, 0, 0 }, "%s",
		    "not a regular file");
		return -1;
	}
	if (is_archive_name(path))
		return collect_archive(set, path);
	if (ends_with(path, ".csv")) {
		set->csv = xreallocarray(set->csv, set->ncsv + 1,
		    sizeof(*set->csv));
		set->csv[set->ncsv++] = xstrdup(path);
		return 0;
	}
	add_source(set, path, path, NULL, 0);
	return 0;
}

static int
source_cmp(const void *a, const void *b)
{
	const struct aaf_source	*s = a, *t = b;
	int			 c;

	if (s->kind != t->kind)
		return s->kind == AAF_COMPLET ? -1 : 1;
	if ((c = strcmp(s->date, t->date)) != 0)
		return c;
	if (s->catorder != t->catorder)
		return s->catorder < t->catorder ? -1 : 1;
	if (s->chunk != t->chunk)
		return s->chunk < t->chunk ? -1 : 1;
	if ((c = strcmp(s->name, t->name)) != 0)
		return c;
	return s->index < t->index ? -1 : s->index > t->index;
}

/*
 * Sort sources into application order and set aside what a newer
 * Complet of the same prefix supersedes: an older Complet (its people
 * may have left since) and a Delta older than the newest Complet (already
 * part of it).  Exports with different prefixes (one per school, say)
 * do not supersede each other.
 */
void
aaf_order(struct aaf_set *set)
{
	size_t		 i, j;
	const char	*newest;
	int		 has_complet;

	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), source_cmp);
	for (i = 0; i < set->n; i++) {
		if (!set->v[i].named) {
			diag(DIAG_FILE_NAME,
			    &(struct diag_pos){ set->v[i].name, 0, 0 }, "%s",
			    "expected PREFIX_Complet|Delta_YYYYMMDD_"
			    "Category_NNNN.xml");
			continue;
		}
		newest = NULL;
		has_complet = 0;
		for (j = 0; j < set->n; j++) {
			if (!set->v[j].named || set->v[j].kind != AAF_COMPLET ||
			    strcmp(set->v[j].prefix, set->v[i].prefix) != 0)
				continue;
			has_complet = 1;
			if (newest == NULL || strcmp(set->v[j].date, newest) > 0)
				newest = set->v[j].date;
		}
		if (newest != NULL && strcmp(set->v[i].date, newest) < 0) {
			set->v[i].ignored = 1;
			diag(DIAG_OLD_EXPORT,
			    &(struct diag_pos){ set->v[i].name, 0, 0 },
			    "newest Complet is of %s", newest);
		} else if (set->v[i].kind == AAF_DELTA && !has_complet)
			diag(DIAG_DELTA_NO_COMPLET,
			    &(struct diag_pos){ set->v[i].name, 0, 0 },
			    "%s", "applied to an empty directory");
	}
}
