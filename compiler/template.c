/* template.c: deploy-time values in the Terraform module.
 *
 * The module sets every param at deploy time (`terraform apply -var env=prod`) and
 * takes the account and region from the provider unless the program fixes them, so
 * each text it deploys is a template: the text sfc writes, with ${env}, ${account}
 * and ${region} where those values go. To find where they go, compile.c compiles the
 * program a second time with every param left as a ${NAME} placeholder (the shadow
 * compile, options.template_params), and this file reads the two texts side by side:
 * where the shadow says ${env} and the real text has env's value, the value came
 * from the param; where both say ${env}, the source wrote a literal "$${env}".
 * Everything else must be equal. A text whose shape depends on a param's value does
 * not align, and the caller falls back to the compile-time text.
 */
#include "sfc.h"

#include <string.h>

/* The variable whose placeholder ${NAME} starts S (LEN bytes left), or NULL. */
static const struct template_var *placeholder_var(const char *s, size_t len,
                                                  const struct template_var *vars, int nvars,
                                                  size_t *taken) {
  if (len < 3 || s[0] != '$' || s[1] != '{') return NULL;
  for (int i = 0; i < nvars; i++) {
    size_t n = strlen(vars[i].name);
    if (len >= n + 3 && !memcmp(s + 2, vars[i].name, n) && s[n + 2] == '}') {
      *taken = n + 3;
      return &vars[i];
    }
  }
  return NULL;
}

static void add_literal(struct buf *out, char ch, const char *next, enum template_style style) {
  /* ${ and %{ start template sequences in both styles: double the sigil */
  if ((ch == '$' || ch == '%') && *next == '{') {
    buf_addc(out, ch);
    buf_addc(out, ch);
    return;
  }
  if (style == TEMPLATE_FILE) {
    buf_addc(out, ch);
    return;
  }
  switch (ch) { /* a quoted HCL string takes these escapes and no others */
  case '"': buf_adds(out, "\\\""); break;
  case '\\': buf_adds(out, "\\\\"); break;
  case '\n': buf_adds(out, "\\n"); break;
  case '\r': buf_adds(out, "\\r"); break;
  case '\t': buf_adds(out, "\\t"); break;
  default:
    if ((unsigned char)ch < 0x20 || ch == 0x7f) buf_printf(out, "\\u%04x", (unsigned char)ch);
    else buf_addc(out, ch);
  }
}

bool template_align(struct buf *out, const char *shadow, size_t slen, const char *real, size_t rlen,
                    const struct template_var *vars, int nvars, enum template_style style) {
  size_t i = 0, j = 0;
  while (i < slen) {
    size_t taken = 0;
    const struct template_var *v = placeholder_var(shadow + i, slen - i, vars, nvars, &taken);
    if (v) {
      size_t vlen = strlen(v->value);
      bool literal = !v->reserved && rlen - j >= taken && !memcmp(real + j, shadow + i, taken);
      if (!literal && rlen - j >= vlen && !memcmp(real + j, v->value, vlen)) {
        buf_printf(out, "${%s}", style == TEMPLATE_FILE ? v->key : v->expression);
        i += taken;
        j += vlen;
        continue;
      }
    }
    if (j >= rlen || shadow[i] != real[j]) return false;
    add_literal(out, shadow[i], i + 1 < slen ? shadow + i + 1 : "", style);
    i++, j++;
  }
  return j == rlen;
}

void template_literal(struct buf *out, const char *text, size_t len, enum template_style style) {
  for (size_t i = 0; i < len; i++) add_literal(out, text[i], i + 1 < len ? text + i + 1 : "", style);
}
