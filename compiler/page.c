/*
 * page: building the page model (page.h).  Items and their text bytes
 * are reused from one page to the next: pg_reset keeps the memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "page.h"

/* PostScript names of enum pg_font, in order. */
static const char *const font_names[FONT__MAX] = {
	"Helvetica", "Helvetica-Bold", "Helvetica-Oblique",
	"Helvetica-BoldOblique", "Helvetica-Narrow", "Helvetica-Narrow-Bold",
	"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
	"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"
};

const char *
pg_font_name(enum pg_font f)
{
	return font_names[f];
}

void
pg_init(struct pg_page *p, pg_unit w, pg_unit h)
{
	memset(p, 0, sizeof(*p));
	p->width = w;
	p->height = h;
	arena_init(&p->strs);
}

/*
 * A page's strings are the letter's text, its activation codes among
 * them: zeroed before the arena is reused or given back, so that a code
 * does not outlive the page it was printed on.
 */
void
pg_reset(struct pg_page *p)
{
	p->nitems = 0;
	p->nmarks = 0;
	p->blank = 0;
	p->label[0] = '\0';
	arena_wipe(&p->strs);
	arena_reset(&p->strs);
}

void
pg_free(struct pg_page *p)
{
	free(p->items);
	arena_wipe(&p->strs);
	arena_free(&p->strs);
	memset(p, 0, sizeof(*p));
}

static struct pg_item *
pg_new(struct pg_page *p, enum pg_kind k)
{
	if (p->nitems == p->capitems) {
		p->capitems = p->capitems == 0 ? 64 : p->capitems * 2;
		p->items = xreallocarray(p->items, p->capitems,
		    sizeof(*p->items));
	}
	p->items[p->nitems].kind = k;
	return &p->items[p->nitems++];
}

void
pg_text(struct pg_page *p, enum pg_font font, int enc, pg_unit size,
    pg_unit x, pg_unit y, const char *s, size_t len)
{
	struct pg_item	*it;
	char		*copy;

	if (len == 0)
		return;
	copy = arena_alloc(&p->strs, len);
	memcpy(copy, s, len);
	it = pg_new(p, PG_TEXT);
	it->u.text.font = (uint8_t)font;
	it->u.text.enc = (uint8_t)enc;
	it->u.text.size = size;
	it->u.text.x = x;
	it->u.text.y = y;
	it->u.text.s = copy;
	it->u.text.len = (uint32_t)len;
}

void
pg_line(struct pg_page *p, pg_unit x0, pg_unit y0, pg_unit x1, pg_unit y1,
    pg_unit width, pg_unit dash)
{
	struct pg_item	*it = pg_new(p, PG_LINE);

	it->u.line.x0 = x0;
	it->u.line.y0 = y0;
	it->u.line.x1 = x1;
	it->u.line.y1 = y1;
	it->u.line.width = width;
	it->u.line.dash = dash;
}

void
pg_rect(struct pg_page *p, pg_unit x, pg_unit y, pg_unit w, pg_unit h,
    pg_unit width, pg_unit dash, int fill, int gray)
{
	struct pg_item	*it = pg_new(p, PG_RECT);

	it->u.rect.x = x;
	it->u.rect.y = y;
	it->u.rect.w = w;
	it->u.rect.h = h;
	it->u.rect.width = width;
	it->u.rect.dash = dash;
	it->u.rect.fill = (uint8_t)(fill != 0);
	it->u.rect.gray = (uint8_t)gray;
}

void
pg_use(struct pg_page *p, uint32_t form, pg_unit x, pg_unit y)
{
	struct pg_item	*it = pg_new(p, PG_FORM);

	it->u.use.form = form;
	it->u.use.x = x;
	it->u.use.y = y;
}

int
pg_form_item(const struct pg_page *p, const struct pg_use *u, size_t i,
    struct pg_item *out)
{
	const struct pg_page	*f;

	if (p->forms == NULL || u->form >= p->forms->n)
		return -1;
	f = &p->forms->v[u->form];
	if (i >= f->nitems)
		return -1;
	*out = f->items[i];
	switch (out->kind) {
	case PG_TEXT:
		out->u.text.x += u->x;
		out->u.text.y += u->y;
		break;
	case PG_LINE:
		out->u.line.x0 += u->x;
		out->u.line.y0 += u->y;
		out->u.line.x1 += u->x;
		out->u.line.y1 += u->y;
		break;
	case PG_RECT:
		out->u.rect.x += u->x;
		out->u.rect.y += u->y;
		break;
	default:
		return -1;	/* forms do not nest */
	}
	return 0;
}

void
pg_mark(struct pg_page *p, int level, const char *title)
{
	if (p->nmarks == sizeof(p->marks) / sizeof(p->marks[0]))
		return;
	p->marks[p->nmarks].level = level;
	p->marks[p->nmarks].title = arena_strdup(&p->strs, title);
	p->nmarks++;
}
