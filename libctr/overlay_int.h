/* Inside libctr/overlay*.c only: what the overlay files share. */
#ifndef CTR_OVERLAY_INT_H
#define CTR_OVERLAY_INT_H

#include "ctr/buf.h"
#include "ctr/err.h"
#include "ctr/overlay.h"

/* Append s with a backslash before '\\' and each char of special. */
void ctr_ovl_esc(struct ctr_buf *b, const char *s, const char *special);
/* mount(2) with one page of data (overlay_data.c): 0, or -1 with e. */
int ctr_ovl_mount_data(const struct ctr_ovl *o, int tfd, int *how, struct ctr_err *e);
/* Remove a link dir (or the single link) of ctr_ovl_linkdir. */
void ctr_ovl_linkdir_remove(const char *dir);

#endif
