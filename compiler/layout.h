/*
 * layout: letter layouts and school information, read from XML files
 * validated by RELAX NG schemas (layouts/layout.rng, layouts/school.rng).
 *
 * A layout says how one credential letter looks: the sheet, the grid of
 * cells a sheet is cut into (1 for a letter, 2 for half sheets, 8 for
 * cards), the envelope window and fold marks when letters are posted,
 * and a template of positioned elements whose text holds {fields}.
 * Lengths are stored in pg_unit (1/1000 pt), measured from the top left
 * corner of the cell (y grows downwards, as a designer measures); compose
 * turns them into page coordinates.  Everything here is read-only after
 * layout_load(): compose only interprets it.
 *
 * School information (name, address, ENT address, contact, signature,
 * return address) comes from a separate school file, keyed by UAI, so
 * that a school never edits a layout.
 */
#ifndef ENTPRESS_LAYOUT_H
#define ENTPRESS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "page.h"

enum lay_align {
	ALIGN_LEFT = 0,
	ALIGN_CENTER,
	ALIGN_RIGHT
};

/*
 * Conditions on an element (attribute when="..."): the profile tokens
 * (student teacher staff parent guest) are alternatives, the other
 * tokens must all hold.
 */
#define WHEN_STUDENT	0x0001
#define WHEN_TEACHER	0x0002
#define WHEN_STAFF	0x0004
#define WHEN_PARENT	0x0008
#define WHEN_GUEST	0x0010
#define WHEN_PROFILES	0x001f
#define WHEN_POSTED	0x0100		/* in a window envelope */
#define WHEN_HANDED	0x0200		/* handed out (class or staff) */
#define WHEN_SEVERAL	0x0400		/* several accounts or children */
#define WHEN_ONE	0x0800		/* one account and at most one child */
#define WHEN_REISSUE	0x1000		/* replaces an earlier letter */
/*
 * The number of children alone, for the wording of a parents' letter:
 * two guardians of one child are "several" accounts, yet the letter is
 * about "votre enfant", not "vos enfants".
 */
#define WHEN_ONE_CHILD	0x2000		/* one-child: exactly one child */
#define WHEN_CHILDREN	0x4000		/* several-children: two or more */

enum lay_kind {
	LAY_TEXT,	/* one line at a position */
	LAY_FLOW,	/* a column of paragraphs from a position downwards */
	LAY_PARA,	/* a wrapped paragraph (inside a flow or a frame) */
	LAY_FRAME,	/* a framed group of paragraphs (inside a flow) */
	LAY_EACH,	/* repeat children per account or per child */
	LAY_GAP,	/* vertical space (inside a flow) */
	LAY_RULE,	/* a horizontal line at a position */
	LAY_BOX		/* a rectangle at a position */
};

enum lay_each {
	EACH_ACCOUNT,	/* every account on the letter (guardians) */
	EACH_CHILD	/* every child named by a parents' letter */
};

/*
 * A template element.  Positions (left, top) are relative to the cell
 * for top-level elements and ignored inside a flow, where elements stack.
 * Every value is resolved at load time: defaults applied, font and size
 * inherited from the enclosing flow (else the regular font at 10 pt),
 * leading 1.2 x the size unless given, so compose never looks further.
 *
 * text holds literal UTF-8 with its white space folded (runs of spaces
 * and newlines are one space, none at the ends; no-break spaces kept)
 * and {name} fields, each checked by layout_field_known(); a literal
 * brace is written {{ or }}.  Inside an each, the person fields
 * (first_name, last_name, full_name; title, login, code, code_grouped
 * and profile_word for accounts; class for children) name the round's
 * account or child; the letter's other fields stay usable there.
 */
struct lay_elem {
	enum lay_kind		 kind;
	unsigned int		 when;		/* WHEN_* mask, 0: always */
	pg_unit			 left, top;	/* from the cell's top left */
	pg_unit			 width;		/* wrap width; text: 0 = none;
						   para: its flow's width less the
						   padding and line of frames */
	pg_unit			 height;	/* box; flow: bottom limit from
						   the cell top, 0: default */
	enum pg_font		 font;
	pg_unit			 size;		/* font size; gap: its height */
	pg_unit			 leading;	/* baseline to baseline */
	pg_unit			 space_before;
	pg_unit			 padding;	/* frame inner margin */
	pg_unit			 line;		/* stroke width of frame/rule/box */
	pg_unit			 dash;		/* 0: solid */
	enum lay_align		 align;
	enum lay_each		 each;		/* LAY_EACH: over what */
	const char		*text;		/* UTF-8 with {fields}; NULL */
	struct lay_elem		*kids;		/* flow, frame, each */
	size_t			 nkids;
	uint32_t		 line_no;	/* in the layout file */
};

struct lay_window {
	int			 present;	/* 0: letters cannot be posted */
	pg_unit			 left, top, width, height;
	pg_unit			 indent;	/* text inset from the left edge */
	enum pg_font		 font;
	pg_unit			 size, leading;
	pg_unit			 return_size;	/* the sender line */
};

struct lay_folds {
	int			 present;
	pg_unit			 left, length, line;
	pg_unit			 at[4];		/* from the top of the sheet */
	size_t			 nat;
	pg_unit			 punch;		/* 0: none */
};

struct layout {
	char			*name;		/* "letter", "halfsheet", "cards" */
	char			*path;		/* the file read */
	pg_unit			 page_width, page_height;
	pg_unit			 margin;	/* of cover sheets and lists */
	int			 duplex;	/* each letter starts on a recto */
	int			 columns, rows;	/* cells per sheet */
	pg_unit			 cell_width, cell_height;
	pg_unit			 grid_left, grid_top;	/* first cell's corner */
	int			 cut;		/* 0 none, 1 solid, 2 dashed */
	enum pg_font		 font_regular, font_bold, font_mono;
	struct lay_window	 window;
	struct lay_folds	 folds;
	struct lay_elem		*elems;		/* the cell template */
	size_t			 nelems;
	struct arena		 arena;
};

/* School information (school file), one entry per UAI. */
struct school_info {
	char			*uai;
	char			*name;		/* as printed: "Collège des Trois Rivières" */
	char			*address[3];	/* street lines */
	char			*postcode, *city;
	char			*place;		/* for "Villeurbanne, le ..." */
	char			*ent_url;	/* https://... */
	char			*contact;	/* who to call about a lost letter */
	char			*signature;	/* "La principale, Mme ..." */
	char			*return_address; /* one line for the window */
	char			*phone;
	char			*mail;
};

struct school_file {
	struct school_info	*v;
	size_t			 n;
};

/*
 * Load a layout by name (looked up in the layout directory: --layout
 * letter reads LAYOUTDIR/letter.xml, or the source tree's layouts/ when
 * run uninstalled) or by path (contains a '/' or ends in .xml).  Invalid
 * files are reported with file:line and DIAG_BAD_LAYOUT; returns NULL.
 */
struct layout	*layout_load(const char *name_or_path);
void		 layout_free(struct layout *);
int		 school_file_load(struct school_file *, const char *path);

/*
 * The same from bytes in memory, named name in messages, with every
 * check of a file (the fuzzers' way in).
 */
struct layout	*layout_load_memory(const char *name, const char *buf,
		    size_t len);
int		 school_file_load_memory(struct school_file *,
		    const char *name, const char *buf, size_t len);
void		 school_file_free(struct school_file *);
const struct school_info *school_file_find(const struct school_file *,
		    const char *uai);

/* Field names a template may use, for validation and the manual. */
int		 layout_field_known(const char *name, size_t len);

#endif /* ENTPRESS_LAYOUT_H */
