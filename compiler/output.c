/* output.c: all output files are written, or none are.
 *
 * A compile into DIR:
 *   1. takes DIR/.sfc.lock (flock), waiting while another sfc holds it, so two
 *      compiles into one directory never interleave their files; then removes the
 *      temporary files and backups a killed sfc left (.NAME.sfc-tmp-XXXXXX,
 *      .NAME.sfc-old-PID): while we hold the lock, no sfc is using them;
 *   2. writes each file in full to a temporary file beside its target (in DIR, so
 *      the rename never crosses file systems);
 *   3. commits: each existing target is kept as a backup (a hard link, so the
 *      target never goes missing), then the temporary file is renamed over it. If a
 *      rename fails, every file already renamed is put back from its backup (or
 *      removed, if it is new), and DIR is as it was. Only when all renames succeed
 *      are the backups removed.
 * SIGINT, SIGTERM and SIGHUP during step 2 remove the temporary files (the handler
 * only calls unlink and rmdir, which are async-signal-safe) and end the process by
 * the signal; during step 3 they are held until the commit or rollback is done.
 * The lock file is removed before sfc lets go of the lock; a waiting sfc that then
 * finds it removed takes the lock again on a fresh file.
 *
 * Fault injection, compiled only into the test build (-DSFC_FAULT_INJECTION):
 * SFC_FAULT_RENAME=N makes the Nth rename of a temporary file over its target fail
 * (EIO); SFC_FAULT_PAUSE=S sleeps S seconds after the temporary files are written,
 * before the commit, printing "sfc: fault: paused" on stderr.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* flock */
#include "sfc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void outputs_add_text(struct outputs *o, const char *name, struct buf text) {
  if (o->count == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 8;
    o->files = xrealloc(o->files, (size_t)o->cap * sizeof *o->files);
  }
  o->files[o->count++] = (struct output_file){name, text};
}

void outputs_add(struct outputs *o, const char *name, json_t *doc) {
  struct buf text = {0};
  json_write(&text, doc);
  json_decref(doc);
  outputs_add_text(o, name, text);
}

const struct buf *outputs_find(const struct outputs *o, const char *name) {
  for (int i = 0; i < o->count; i++)
    if (!strcmp(o->files[i].name, name)) return &o->files[i].text;
  return NULL;
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
    fprintf(stderr, "sfc: error: cannot write to '%s': it exists and is not a directory\n", shown(dir));
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
    fprintf(stderr, "sfc: error: cannot create directory '%s': %s\n", shown(copy), strerror(errno));
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

/* What the signal handler removes: paths are filled in before the counts grow, and
   both are only written with the signals blocked. */
static char **sig_temps;     /* temporary files written so far */
static volatile sig_atomic_t sig_ntemps;
static char **sig_dirs;      /* directories this run created, outermost first */
static volatile sig_atomic_t sig_ndirs;
static char *sig_lock;       /* the lock file, while we hold the lock */

static void on_signal(int sig) {
  for (int i = 0; i < sig_ntemps; i++)
    if (sig_temps[i]) unlink(sig_temps[i]);
  if (sig_lock) unlink(sig_lock);
  for (int i = sig_ndirs - 1; i >= 0; i--) rmdir(sig_dirs[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void block_signals(bool block) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) sigaddset(&set, caught[i]);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static void handle_signals(bool on) {
  struct sigaction sa = {0};
  sa.sa_handler = on ? on_signal : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) {
    struct sigaction old;
    sigaction(caught[i], NULL, &old);
    if (old.sa_handler == SIG_IGN) continue; /* e.g. nohup: keep ignoring */
    sigaction(caught[i], &sa, NULL);
  }
}

#ifdef SFC_FAULT_INJECTION
static int fault_renames; /* renames so far, for SFC_FAULT_RENAME */
static int fault_rename(const char *from, const char *to) {
  const char *n = getenv("SFC_FAULT_RENAME");
  if (n && atoi(n) == ++fault_renames) {
    errno = EIO;
    return -1;
  }
  return rename(from, to);
}
static void fault_pause(void) {
  const char *s = getenv("SFC_FAULT_PAUSE");
  if (!s) return;
  fputs("sfc: fault: paused\n", stderr);
  for (unsigned left = (unsigned)atoi(s); left > 0;) left = sleep(left);
}
#else
#define fault_rename rename
static void fault_pause(void) {}
#endif

/* Takes DIR/.sfc.lock, waiting for another sfc to let go of it. The file is removed
   by whoever holds the lock when it is done, so after locking, check that the file
   we locked is still the one at that path; if not, lock again. Returns the fd.
   Called with the signals blocked, so that the handler knows of a lock file we
   created and hold; they are let through only while waiting. */
static int take_lock(const char *dir, char *path) {
  bool told = false;
  for (;;) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
      fprintf(stderr, "sfc: error: cannot write in '%s': %s\n", shown(dir), strerror(errno));
      return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) {
        fprintf(stderr, "sfc: error: cannot lock '%s': %s\n", shown(path), strerror(errno));
        close(fd);
        return -1;
      }
      if (!told)
        fprintf(stderr, "sfc: note: another sfc is writing to '%s'; waiting for it to finish\n",
                shown(dir));
      told = true;
      block_signals(false);
      int locked = flock(fd, LOCK_EX);
      block_signals(true);
      if (locked != 0) {
        fprintf(stderr, "sfc: error: cannot lock '%s': %s\n", shown(path), strerror(errno));
        close(fd);
        return -1;
      }
    }
    struct stat held, now;
    if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      sig_lock = path;
      return fd;
    }
    close(fd); /* the holder before us removed it: lock the new one */
  }
}

/* ".NAME.sfc-tmp-XXXXXX" or ".NAME.sfc-old-PID": only sfc makes such names, and
   under the lock no sfc is using them. */
static bool stale_name(const char *name) {
  if (name[0] != '.') return false;
  const char *mark = strstr(name, ".sfc-");
  if (!mark) return false;
  mark += strlen(".sfc-");
  return !strncmp(mark, "tmp-", 4) || !strncmp(mark, "old-", 4);
}

/* Does DIR/F already hold exactly F's text? Then it is left alone, mtime and all, so
   make and Terraform see nothing new. */
static bool unchanged(const char *dir, const struct output_file *f) {
  char *path = join(dir, f->name);
  FILE *in = fopen(path, "rb");
  free(path);
  if (!in) return false;
  bool same = true;
  char chunk[8192];
  size_t at = 0, n;
  while (same && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
    same = at + n <= f->text.len && !memcmp(chunk, f->text.data + at, n);
    at += n;
  }
  same = same && !ferror(in) && at == f->text.len;
  fclose(in);
  return same;
}

static void remove_stale(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!stale_name(e->d_name)) continue;
    char *path = join(dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) unlink(path);
    free(path);
  }
  closedir(d);
}

/* One file's way through the commit. */
struct commit {
  char *temp, *target, *backup;
  bool had_target, backed_up, renamed;
};

/* Puts back what the commit did, last first. */
static void roll_back(struct commit *c, int n) {
  for (int i = n - 1; i >= 0; i--) {
    if (c[i].renamed) {
      if (c[i].backed_up) rename(c[i].backup, c[i].target);
      else unlink(c[i].target);
    } else if (c[i].backed_up) {
      struct stat st;
      if (stat(c[i].target, &st) == 0) unlink(c[i].backup); /* a link: target is intact */
      else rename(c[i].backup, c[i].target);                /* moved: move it back */
    }
  }
}

/* Keeps the old target as a backup: a hard link where the file system has them
   (the target stays in place), else a rename. */
static bool back_up(struct commit *c) {
  struct stat st;
  if (lstat(c->target, &st) != 0) {
    if (errno == ENOENT) return true;
    fprintf(stderr, "sfc: error: cannot write '%s': %s\n", shown(c->target), strerror(errno));
    return false;
  }
  c->had_target = true;
  if (link(c->target, c->backup) != 0 && rename(c->target, c->backup) != 0) {
    fprintf(stderr, "sfc: error: cannot keep a backup of '%s': %s\n", shown(c->target),
            strerror(errno));
    return false;
  }
  c->backed_up = true;
  return true;
}

bool write_outputs(const char *dir, struct output_file *files, int nfiles, int *nunchanged) {
  char **made = NULL;
  int nmade = 0;
  bool ok = true;
  handle_signals(true);
  block_signals(true);
  ok = make_dirs(dir, &made, &nmade);
  sig_dirs = made, sig_ndirs = nmade;
  block_signals(false);
  if (!ok) goto done_dirs;

  char *lock_path = join(dir, ".sfc.lock");
  block_signals(true);
  int lock = take_lock(dir, lock_path);
  block_signals(false);
  if (lock < 0) {
    ok = false;
    goto done_lock;
  }
  remove_stale(dir);
  struct output_file *changed = xmalloc((size_t)(nfiles ? nfiles : 1) * sizeof *changed);
  int nchanged = 0;
  for (int i = 0; i < nfiles; i++)
    if (!unchanged(dir, &files[i])) changed[nchanged++] = files[i];
  *nunchanged = nfiles - nchanged;
  files = changed;
  nfiles = nchanged;

  mode_t mask = umask(0);
  umask(mask);
  struct commit *commits = xmalloc((size_t)(nfiles ? nfiles : 1) * sizeof *commits);
  char **temps = xmalloc((size_t)(nfiles ? nfiles : 1) * sizeof *temps);
  int ntemps = 0;
  sig_temps = temps;
  for (int i = 0; i < nfiles && ok; i++) {
    size_t n = strlen(dir) + strlen(files[i].name) + 32;
    char *temp = xmalloc(n);
    snprintf(temp, n, "%s/.%s.sfc-tmp-XXXXXX", dir, files[i].name);
    block_signals(true); /* a file created is a file the handler knows */
    int fd = mkstemp(temp);
    if (fd >= 0) temps[ntemps] = temp, sig_ntemps = ++ntemps;
    block_signals(false);
    if (fd < 0) {
      fprintf(stderr, "sfc: error: cannot write in '%s': %s\n", shown(dir), strerror(errno));
      free(temp);
      ok = false;
      break;
    }
    if (!write_all(fd, files[i].text.data ? files[i].text.data : "", files[i].text.len) ||
        fchmod(fd, 0666 & ~mask) != 0) {
      fprintf(stderr, "sfc: error: cannot write '%s/%s': %s\n", shown(dir), files[i].name,
              strerror(errno));
      ok = false;
    }
    if (close(fd) != 0 && ok) {
      fprintf(stderr, "sfc: error: cannot write '%s/%s': %s\n", shown(dir), files[i].name,
              strerror(errno));
      ok = false;
    }
  }
  if (ok) fault_pause();

  /* The commit, with the signals held: it must end committed or rolled back. */
  block_signals(true);
  int ncommits = 0;
  for (int i = 0; i < ntemps && ok; i++) {
    struct commit *c = &commits[ncommits++];
    *c = (struct commit){temps[i], join(dir, files[i].name), NULL, false, false, false};
    size_t n = strlen(c->target) + 32;
    c->backup = xmalloc(n);
    snprintf(c->backup, n, "%s/.%s.sfc-old-%ld", dir, files[i].name, (long)getpid());
    struct stat st;
    if (lstat(c->target, &st) == 0 && S_ISDIR(st.st_mode)) {
      fprintf(stderr, "sfc: error: cannot write '%s': it is a directory\n", shown(c->target));
      ok = false;
    } else if (!back_up(c)) {
      ok = false;
    } else if (fault_rename(c->temp, c->target) != 0) {
      fprintf(stderr, "sfc: error: cannot write '%s': %s\n", shown(c->target), strerror(errno));
      ok = false;
    } else {
      c->renamed = true;
      temps[i] = NULL; /* renamed: no longer ours to remove */
    }
  }
  if (!ok) roll_back(commits, ncommits);
  for (int i = 0; i < ncommits; i++) {
    if (ok && commits[i].backed_up) unlink(commits[i].backup);
    if (commits[i].renamed) free(commits[i].temp); /* no longer in temps */
    free(commits[i].target);
    free(commits[i].backup);
  }
  for (int i = 0; i < ntemps; i++)
    if (temps[i]) unlink(temps[i]);
  unlink(lock_path); /* while we still hold the lock: see take_lock */
  sig_ntemps = 0, sig_temps = NULL, sig_lock = NULL;
  block_signals(false);
  close(lock);
  for (int i = 0; i < ntemps; i++) free(temps[i]);
  free(temps);
  free(commits);
  free(changed);
done_lock:
  free(lock_path);
done_dirs:
  block_signals(true);
  for (int i = nmade - 1; i >= 0; i--) {
    if (!ok) rmdir(made[i]);
    free(made[i]);
  }
  sig_ndirs = 0, sig_dirs = NULL;
  free(made);
  block_signals(false);
  handle_signals(false);
  return ok;
}

/* One file replaced in place (sfc fmt -w): the new text goes to a temporary file beside
   it, with its mode, and is renamed over it, so PATH holds the old text or the new,
   never a part. A signal meanwhile removes the temporary file (as for a compile). */
bool replace_file(const char *path, const char *text, size_t len) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "sfc: error: cannot write '%s': %s\n", path, strerror(errno));
    return false;
  }
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path + 1) : 0, size = strlen(path) + 32;
  char *temp = xmalloc(size);
  snprintf(temp, size, "%.*s.%s.sfc-tmp-XXXXXX", (int)dir_len, path, path + dir_len);
  handle_signals(true);
  block_signals(true);
  int fd = mkstemp(temp);
  static char *one[1];
  if (fd >= 0) {
    one[0] = temp;
    sig_temps = one;
    sig_ntemps = 1;
  }
  block_signals(false);
  bool ok = fd >= 0 && fchmod(fd, st.st_mode & 07777) == 0 && write_all(fd, text, len);
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  block_signals(true);
  if (ok && rename(temp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok && fd >= 0) unlink(temp);
  sig_ntemps = 0, sig_temps = NULL;
  block_signals(false);
  handle_signals(false);
  if (!ok) fprintf(stderr, "sfc: error: cannot write '%s': %s\n", path, strerror(saved));
  free(temp);
  return ok;
}
