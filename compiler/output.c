/* output.c: all output files are written, or none are.
 *
 * Each file is first written in full to a temporary file beside its target, in the
 * output directory itself (so the final rename never crosses file systems). Only
 * when every temporary file is complete are they renamed over their targets. If
 * anything fails before that, the temporary files are removed and the directory
 * (created or not) is left exactly as it was.
 */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void outputs_add(struct outputs *o, const char *name, json_t *doc) {
  if (o->count == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 8;
    o->files = xrealloc(o->files, (size_t)o->cap * sizeof *o->files);
  }
  struct output_file *f = &o->files[o->count++];
  f->name = name;
  f->text = (struct buf){0};
  json_write(&f->text, doc);
  json_decref(doc);
}

void outputs_free(struct outputs *o) {
  for (int i = 0; i < o->count; i++) buf_free(&o->files[i].text);
  free(o->files);
  *o = (struct outputs){0};
}

/* Creates DIR and any missing parents; records the ones it made so a failed write
   can take them away again. */
static bool make_dirs(const char *dir, char ***made, int *nmade) {
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return true;
    fprintf(stderr, "sfc: error: cannot write to '%s': it exists and is not a directory\n", dir);
    return false;
  }
  char *copy = xmalloc(strlen(dir) + 1);
  strcpy(copy, dir);
  char *slash = strrchr(copy, '/');
  while (slash && slash != copy && slash[1] == 0) { /* trailing slashes */
    *slash = 0;
    slash = strrchr(copy, '/');
  }
  if (slash && slash != copy) {
    *slash = 0;
    if (!make_dirs(copy, made, nmade)) {
      free(copy);
      return false;
    }
    *slash = '/';
  }
  if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "sfc: error: cannot create directory '%s': %s\n", copy, strerror(errno));
    free(copy);
    return false;
  }
  *made = xrealloc(*made, (size_t)(*nmade + 1) * sizeof **made);
  (*made)[(*nmade)++] = copy;
  return true;
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/%s", dir, name);
  return p;
}

static bool write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    len -= (size_t)n;
  }
  return true;
}

bool write_outputs(const char *dir, struct output_file *files, int nfiles) {
  char **made = NULL;
  int nmade = 0;
  if (!make_dirs(dir, &made, &nmade)) return false;

  mode_t mask = umask(0);
  umask(mask);
  char **temps = xmalloc((size_t)(nfiles ? nfiles : 1) * sizeof *temps);
  int ntemps = 0;
  bool ok = true;
  for (int i = 0; i < nfiles && ok; i++) {
    char *base = join(dir, ".");
    size_t n = strlen(base) + strlen(files[i].name) + 16;
    char *temp = xmalloc(n);
    snprintf(temp, n, "%s%s.tmp-XXXXXX", base, files[i].name);
    free(base);
    int fd = mkstemp(temp);
    if (fd < 0) {
      fprintf(stderr, "sfc: error: cannot write in '%s': %s\n", dir, strerror(errno));
      free(temp);
      ok = false;
      break;
    }
    temps[ntemps++] = temp;
    if (!write_all(fd, files[i].text.data ? files[i].text.data : "", files[i].text.len) ||
        fchmod(fd, 0666 & ~mask) != 0) {
      fprintf(stderr, "sfc: error: cannot write '%s/%s': %s\n", dir, files[i].name, strerror(errno));
      ok = false;
    }
    if (close(fd) != 0 && ok) {
      fprintf(stderr, "sfc: error: cannot write '%s/%s': %s\n", dir, files[i].name, strerror(errno));
      ok = false;
    }
  }
  for (int i = 0; i < ntemps && ok; i++) {
    char *target = join(dir, files[i].name);
    if (rename(temps[i], target) != 0) {
      fprintf(stderr, "sfc: error: cannot write '%s': %s\n", target, strerror(errno));
      ok = false;
    } else {
      free(temps[i]);
      temps[i] = NULL;
    }
    free(target);
  }
  for (int i = 0; i < ntemps; i++) {
    if (temps[i]) unlink(temps[i]);
    free(temps[i]);
  }
  free(temps);
  for (int i = nmade - 1; i >= 0; i--) {
    if (!ok) rmdir(made[i]);
    free(made[i]);
  }
  free(made);
  return ok;
}
