/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * DigithekMarkdownImageFunc:
 * @path: the image path as written in the Markdown (relative to the pack)
 * @user_data: data given with the function
 *
 * Loads an image the Markdown refers to, from the pack's assets.
 *
 * Returns: (transfer full) (nullable): the image, or %NULL to show its alt text
 */
typedef GdkPaintable *(*DigithekMarkdownImageFunc) (const char *path,
                                                   gpointer    user_data);

#define DIGITHEK_TYPE_MARKDOWN (digithek_markdown_get_type ())
G_DECLARE_FINAL_TYPE (DigithekMarkdown, digithek_markdown, DIGITHEK, MARKDOWN, GtkWidget)

GtkWidget  *digithek_markdown_new            (void);

/**
 * digithek_markdown_set_text:
 * @text: (nullable): CommonMark text, UTF-8
 *
 * Renders @text with cmark into native widgets: headings, paragraphs, emphasis, strong,
 * code, lists (nested), block quotes, thematic breaks and images. Raw HTML is never
 * rendered (it is dropped); links are shown as links but never open anything: tapping
 * one emits #DigithekMarkdown::link-activated.
 */
void        digithek_markdown_set_text       (DigithekMarkdown          *self,
                                              const char                *text);
void        digithek_markdown_set_image_func (DigithekMarkdown          *self,
                                              DigithekMarkdownImageFunc  func,
                                              gpointer                   user_data,
                                              GDestroyNotify             destroy);
/* The text without markup, for read-aloud and screen readers. */
char       *digithek_markdown_get_plain_text (DigithekMarkdown          *self);

/**
 * digithek_markdown_skip_title_heading:
 * @text: Markdown text
 *
 * Texts usually open with their title as a level-1 heading; views that already show
 * the title in large type above leave that second copy out.
 *
 * Returns: (transfer none): @text after a leading `# …` line, or @text itself
 */
const char *digithek_markdown_skip_title_heading (const char *text);

/* Signal "link-activated" (const char *uri, const char *label): a link was tapped. */

G_END_DECLS
