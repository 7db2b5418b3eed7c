/* util.c: the arena, growable buffers, a string hash table, and dying on OOM. */
#define _POSIX_C_SOURCE 200809L
#include "sfc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Noreturn void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("sfc: internal error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(3);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

char *xstrndup(const char *s, size_t n) {
  char *r = xmalloc(n + 1);
  memcpy(r, s, n);
  r[n] = 0;
  return r;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

/* Blocks are chained; a request larger than a block gets a block of its own. */
struct arena_block {
  struct arena_block *next;
  size_t used, size;
  max_align_t data[];
};

#define ARENA_BLOCK_SIZE (64 * 1024)

void *arena_alloc(struct arena *a, size_t size) {
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  struct arena_block *b = a->blocks;
  if (!b || b->size - b->used < size) {
    size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
    b = xmalloc(sizeof *b + cap);
    b->size = cap;
    b->used = 0;
    b->next = a->blocks;
    a->blocks = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *xvasprintf(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *p = xmalloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void arena_free(struct arena *a) {
  struct arena_block *b = a->blocks;
  while (b) {
    struct arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->blocks = NULL;
}

static void buf_reserve(struct buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_add(struct buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void buf_adds(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_addc(struct buf *b, char c) { buf_add(b, &c, 1); }

void buf_add_utf8(struct buf *b, unsigned long cp) {
  if (cp < 0x80) {
    buf_addc(b, (char)cp);
  } else if (cp < 0x800) {
    buf_addc(b, (char)(0xC0 | (cp >> 6)));
    buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    buf_addc(b, (char)(0xE0 | (cp >> 12)));
    buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    buf_addc(b, (char)(0xF0 | (cp >> 18)));
    buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
    buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

void buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  buf_reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* FNV-1a: short keys, no adversary. */
static size_t hash_string(const char *s) {
  size_t h = 14695981039346656037u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static size_t table_slot(const struct table *t, const char *key) {
  size_t i = hash_string(key) & (t->cap - 1);
  while (t->keys[i] && strcmp(t->keys[i], key) != 0) i = (i + 1) & (t->cap - 1);
  return i;
}

void *table_get(const struct table *t, const char *key) {
  if (!t->cap) return NULL;
  size_t i = table_slot(t, key);
  return t->keys[i] ? t->values[i] : NULL;
}

void table_put(struct table *t, const char *key, void *value) {
  if ((t->count + 1) * 2 > t->cap) {
    struct table bigger = {0};
    bigger.cap = t->cap ? t->cap * 2 : 16;
    bigger.keys = xmalloc(bigger.cap * sizeof *bigger.keys);
    bigger.values = xmalloc(bigger.cap * sizeof *bigger.values);
    memset(bigger.keys, 0, bigger.cap * sizeof *bigger.keys);
    for (size_t i = 0; i < t->cap; i++)
      if (t->keys[i]) table_put(&bigger, t->keys[i], t->values[i]);
    table_free(t);
    *t = bigger;
  }
  size_t i = table_slot(t, key);
  if (!t->keys[i]) t->count++;
  t->keys[i] = key;
  t->values[i] = value;
}

void table_free(struct table *t) {
  free(t->keys);
  free(t->values);
  memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- UTF-8 */

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  size_t n;
  uint32_t min, value;
  if (len == 0) return 0;
  if (s[0] < 0x80) {
    if (cp) *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xC2 && s[0] <= 0xDF) n = 2, min = 0x80, value = s[0] & 0x1Fu;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) n = 3, min = 0x800, value = s[0] & 0x0Fu;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) n = 4, min = 0x10000, value = s[0] & 0x07u;
  else return 0;
  if (len < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    value = (value << 6) | (s[i] & 0x3Fu);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  if (cp) *cp = value;
  return n;
}

size_t utf8_count(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* The whole of PATH ("-": standard input), NUL-terminated, at most 256 MiB, for every
   command that reads a file; NULL after saying why. LEN may be NULL. */
char *read_whole_file(const char *path, size_t *len) {
  FILE *f = stdin;
  if (strcmp(path, "-") != 0) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      fprintf(stderr, "sfc: error: '%s' is a directory, not a file\n", shown(path));
      return NULL;
    }
    f = fopen(path, "rb");
    if (!f) {
      fprintf(stderr, "sfc: error: cannot read '%s': %s\n", shown(path), strerror(errno));
      return NULL;
    }
  }
  size_t cap = 65536, n = 0;
  char *data = xmalloc(cap + 1);
  for (;;) {
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    if (cap >= (size_t)(256L * 1024 * 1024)) {
      fprintf(stderr, "sfc: error: '%s' is larger than 256 MiB\n", shown(path));
      free(data);
      if (f != stdin) fclose(f);
      return NULL;
    }
    cap *= 2;
    data = xrealloc(data, cap + 1);
  }
  bool failed = ferror(f);
  int saved = errno;
  if (f != stdin) fclose(f);
  if (failed) {
    fprintf(stderr, "sfc: error: cannot read '%s': %s\n", strcmp(path, "-") ? shown(path) : "<stdin>",
            strerror(saved));
    free(data);
    return NULL;
  }
  data[n] = 0;
  if (len) *len = n;
  return data;
}

/* ---------------------------------------------------------------- civil dates */

/* Days since 1970-01-01 of a proleptic Gregorian date (the civil-calendar algorithm:
   years start in March, so the leap day is the last day of a year). */
int64_t rt_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void rt_civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}
