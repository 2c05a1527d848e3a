/* test-icons.c
 *
 * Copyright 2026 The Forkscope authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

/* The icons are loaded the way GTK loads them (gdk-pixbuf's SVG loader,
 * librsvg), so a file that does not parse, or draws nothing, fails here
 * rather than as a blank square in the shell. */

static char *
icon_path (const char *kind,
           const char *name)
{
  /* G_TEST_SRCDIR is the tests/ folder of the source tree. */
  return g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                                kind, "apps", name, NULL);
}

/* Counts the pixels that are not fully transparent. */
static guint
count_opaque (GdkPixbuf *pixbuf)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  guint count = 0;

  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert_cmpint (gdk_pixbuf_get_n_channels (pixbuf), ==, 4);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (pixels[y * stride + x * 4 + 3] != 0)
        count++;

  return count;
}

static GdkPixbuf *
load_svg (const char *path,
          int         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GdkPixbufFormat *format;
  GdkPixbuf *pixbuf;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "<svg"));

  format = gdk_pixbuf_get_file_info (path, NULL, NULL);
  g_assert_nonnull (format);
  g_assert_cmpstr (gdk_pixbuf_format_get_name (format), ==, "svg");

  pixbuf = gdk_pixbuf_new_from_file_at_size (path, size, size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, size);

  return pixbuf;
}

static void
test_app_icon (void)
{
  g_autofree char *path = icon_path ("scalable", APP_ID ".svg");
  g_autoptr(GdkPixbuf) big = load_svg (path, 128);
  g_autoptr(GdkPixbuf) small = load_svg (path, 32);
  guint opaque = count_opaque (big);

  /* A full-colour icon fills much of its 128 px grid, and leaves the
   * corners free (GNOME icons are not squares). */
  g_assert_cmpuint (opaque, >, 128 * 128 / 3);
  g_assert_cmpuint (opaque, <, 128 * 128);
  g_assert_cmpuint (gdk_pixbuf_read_pixels (big)[3], ==, 0);
  g_assert_cmpuint (count_opaque (small), >, 0);
}

static void
test_symbolic_icon (void)
{
  g_autofree char *path = icon_path ("symbolic", APP_ID "-symbolic.svg");
  g_autoptr(GdkPixbuf) pixbuf = load_svg (path, 16);
  g_autofree char *contents = NULL;
  const guint8 *pixels;
  int stride;

  g_assert_cmpuint (count_opaque (pixbuf), >, 16);

  /* Symbolic icons are one colour, which GTK recolours: every painted
   * pixel is the same dark grey. */
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < 16; y++)
    for (int x = 0; x < 16; x++)
      {
        const guint8 *p = pixels + y * stride + x * 4;

        /* Faint edge pixels carry rounding noise from un-premultiplying. */
        if (p[3] < 64)
          continue;
        g_assert_cmpint (ABS (p[0] - p[1]), <=, 8);
        g_assert_cmpint (ABS (p[1] - p[2]), <=, 8);
        g_assert_cmpuint (p[0], <, 0x60);
      }

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "viewBox=\"0 0 16 16\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forkscope/data/icon/app", test_app_icon);
  g_test_add_func ("/forkscope/data/icon/symbolic", test_symbolic_icon);

  return g_test_run ();
}
