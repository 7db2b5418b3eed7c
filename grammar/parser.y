/* parser.y: the sfc grammar (pure bison parser over the reentrant flex scanner).
 *
 * The grammar only builds the tree; every rule about meaning lives in check.c.
 * Statements need no separators: each state starts with its kind keyword and
 * everything up to the next one belongs to it. Syntax errors are reported by
 * yyreport_syntax_error below; recovery resumes at the next declaration, state,
 * choice rule or parallel branch, so one run reports every error in the file.
 */
%require "3.8"
%define api.pure full
%define api.prefix {sfc_yy}
%define api.token.prefix {TOK_}
%define api.value.type union
%define api.header.include {"parser.h"}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {struct parse_ctx *ctx}
%expect 0

%code requires {
  #ifndef YY_TYPEDEF_YY_SCANNER_T
  #define YY_TYPEDEF_YY_SCANNER_T
  typedef void *yyscan_t;
  #endif
  #include "sfc.h"
  typedef struct SFC_YYLTYPE { int start, end; } SFC_YYLTYPE;
  #define SFC_YYLTYPE_IS_DECLARED 1
  /* Lists under construction: first and last, so appending is O(1). */
  struct option_list { struct option *first, *last; };
  struct state_list { struct state *first, *last; };
  struct rule_list { struct rule *first, *last; };
  struct branch_list { struct branch *first, *last; };
  struct member_list { struct member *first, *last; };
  struct value_list { struct value *first, *last; };
  struct error_list { struct error_name *first, *last; };
  struct retry_field_list { struct retry_field *first, *last; };
  struct field_list { struct field *first, *last; };
  struct path_list { struct name_list *first, *last; }; /* also `on` targets */
  struct answer_list { struct test_answer *first, *last; };
  #define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
      if (N) { (Cur).start = YYRHSLOC(Rhs, 1).start; (Cur).end = YYRHSLOC(Rhs, N).end; } \
      else { (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; }        \
    } while (0)
}

%code provides {
  #define YYSTYPE SFC_YYSTYPE
  #define YYLTYPE SFC_YYLTYPE
  /* Everything the scanner keeps between tokens (flex's yyextra). */
  struct lexstate {
    struct parse_ctx *ctx;
    int offset;                 /* byte offset of the next unread byte */
    SFC_YYLTYPE token_start;    /* start of a string or comment being scanned */
    struct buf text;            /* the string being decoded */
    struct str_part *parts, *last_part;
    int prev_token, this_token; /* for "expected X after Y" messages */
    int open_braces[64];        /* offsets of unclosed '{', for "not closed" messages */
    bool eof_reported;          /* the scanner already said why the file ended early */
    int brace_depth;
    SFC_YYLTYPE prev_loc, this_loc;
    int *decl_starts;           /* offsets of tokens that may start a declaration */
    int ndecl_starts, decl_starts_cap;
    /* Inside `test "name" { ... }`, at this brace depth, the words of test blocks
       (mock, expect, ...) are keywords; 0: not in a test block. test_head counts the
       tokens of `test "name" {` seen so far. */
    int test_depth, test_head;
    int test_outer;             /* the test_depth of a test around a misplaced one */
  };
  int sfc_yylex(SFC_YYSTYPE *lval, SFC_YYLTYPE *lloc, yyscan_t scanner);
  int sfc_yyparse(yyscan_t scanner, struct parse_ctx *ctx);
}

%code {
  #include "lexer.h"
  #include <string.h>

  /* Nesting (values, blocks) deeper than this is reported, not followed: it keeps
     every later recursive pass within a small stack. */
  #define YYMAXDEPTH 2000

  static struct loc L(struct parse_ctx *ctx, SFC_YYLTYPE l) {
    return (struct loc){ctx->file, l.start, l.end};
  }
  #define LOC(l) L(ctx, (l))
  #define MAKE(type) NEW(ctx->arena, type)

  static struct name mkname(struct parse_ctx *ctx, const char *text, SFC_YYLTYPE l) {
    return (struct name){text, L(ctx, l)};
  }
  static struct value *mkvalue(struct parse_ctx *ctx, enum value_kind kind, SFC_YYLTYPE l) {
    struct value *v = MAKE(struct value);
    v->kind = kind;
    v->loc = L(ctx, l);
    return v;
  }
  static struct option *mkopt(struct parse_ctx *ctx, enum option_kind kind, SFC_YYLTYPE l) {
    struct option *o = MAKE(struct option);
    o->kind = kind;
    o->loc = L(ctx, l);
    return o;
  }
  static struct option *optvalue(struct parse_ctx *ctx, enum option_kind kind, SFC_YYLTYPE l,
                                 struct value *v) {
    struct option *o = mkopt(ctx, kind, l);
    o->value = v;
    return o;
  }
  /* Option words that are not keywords, so that older programs keep them as names:
     `inline` and `legacy` on a map. */
  static struct option *word_option(struct parse_ctx *ctx, const char *word, SFC_YYLTYPE l) {
    static const struct { const char *word; enum option_kind kind; } words[] = {
        {"inline", OPT_INLINE}, {"legacy", OPT_LEGACY}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
      if (!strcmp(word, words[i].word)) return mkopt(ctx, words[i].kind, l);
    ctx->diag->syntax_errors++;
    diag_error(ctx->diag, L(ctx, l), "expected an option (with, into, retry, catch, -> ...), found '%s'", word);
    return mkopt(ctx, OPT_COMMENT, l); /* read past; the error stops the compile */
  }
  static struct option *optnothing(struct parse_ctx *ctx, enum option_kind kind, SFC_YYLTYPE l) {
    struct option *o = mkopt(ctx, kind, l);
    o->nothing = true;
    return o;
  }
  static struct option *optseconds(struct parse_ctx *ctx, enum option_kind kind, SFC_YYLTYPE l,
                                   long long s) {
    struct option *o = mkopt(ctx, kind, l);
    o->seconds = s;
    o->is_duration = true;
    return o;
  }
  static struct state *mkstate(struct parse_ctx *ctx, enum state_kind kind, struct name name,
                               SFC_YYLTYPE head, struct option *opts) {
    struct state *s = MAKE(struct state);
    s->kind = kind;
    s->name = name;
    s->loc = L(ctx, head);
    s->options = opts;
    return s;
  }
  static struct state *mktask(struct parse_ctx *ctx, enum task_kind task, struct name name,
                              struct name target, SFC_YYLTYPE head, struct option *opts) {
    struct state *s = mkstate(ctx, S_TASK, name, head, opts);
    s->task = task;
    s->target = target;
    return s;
  }
  static struct state *mkwait(struct parse_ctx *ctx, enum wait_kind wait, struct name name,
                              SFC_YYLTYPE head, struct option *opts) {
    struct state *s = mkstate(ctx, S_WAIT, name, head, opts);
    s->wait = wait;
    return s;
  }
  static struct cond *mkcond(struct parse_ctx *ctx, enum cond_kind kind, SFC_YYLTYPE l) {
    struct cond *c = MAKE(struct cond);
    c->kind = kind;
    c->loc = L(ctx, l);
    return c;
  }
  static struct cond *mkbinary(struct parse_ctx *ctx, enum cond_kind kind, SFC_YYLTYPE l,
                               struct cond *a, struct cond *b) {
    struct cond *c = mkcond(ctx, kind, l);
    c->left = a;
    c->right = b;
    return c;
  }
  static struct decl *mkdecl(struct parse_ctx *ctx, enum decl_kind kind, struct name name,
                             SFC_YYLTYPE l) {
    struct decl *d = MAKE(struct decl);
    d->kind = kind;
    d->name = name;
    d->loc = L(ctx, l);
    return d;
  }
  static void duplicate_setting(struct parse_ctx *ctx, const char *what, SFC_YYLTYPE l) {
    diag_error(ctx->diag, L(ctx, l), "duplicate '%s' in this workflow", what);
  }
  /* logging all|error|fatal|off [include data]: recorded for deployment. */
  static void set_logging(struct parse_ctx *ctx, struct workflow *w, const char *level,
                          SFC_YYLTYPE level_at, const char *include, const char *data,
                          SFC_YYLTYPE extra_at) {
    static const char *const levels[] = {"all", "error", "fatal", "off"};
    static const char *const upper[] = {"ALL", "ERROR", "FATAL", "OFF"};
    if (w->log_level) diag_error(ctx->diag, L(ctx, level_at), "duplicate 'logging' in this workflow");
    for (int i = 0; i < 4; i++)
      if (!strcmp(level, levels[i])) w->log_level = upper[i];
    if (!w->log_level)
      diag_error(ctx->diag, L(ctx, level_at), "logging takes all, error, fatal or off, not '%s'", level);
    if (include && (strcmp(include, "include") != 0 || strcmp(data, "data") != 0))
      diag_error(ctx->diag, L(ctx, extra_at), "expected 'include data' after the logging level");
    w->log_include_data = include != NULL;
  }
  /* Folds the parts of a catch's options into the first. */
  static struct option *merge_catch(struct option *a, struct option *b, struct option *c) {
    struct option *parts[2] = {b, c};
    for (int i = 0; i < 2; i++) {
      if (!parts[i]) continue;
      if (parts[i]->has_into) {
        a->has_into = true;
        a->value = parts[i]->value;
        a->nothing = parts[i]->nothing;
      }
      if (parts[i]->assign) a->assign = parts[i]->assign;
      if (parts[i]->output) a->output = parts[i]->output;
    }
    return a;
  }
  static struct trigger *mktrigger(struct parse_ctx *ctx, enum trigger_kind kind, SFC_YYLTYPE l,
                                   struct trigger_option *options) {
    struct trigger *t = MAKE(struct trigger);
    t->kind = kind;
    t->loc = L(ctx, l);
    t->options = options;
    return t;
  }
  static struct trigger_option *mktopt(struct parse_ctx *ctx, int kind, SFC_YYLTYPE l) {
    struct trigger_option *o = MAKE(struct trigger_option);
    o->kind = kind;
    o->loc = L(ctx, l);
    return o;
  }
  /* retry attempts N: AWS's range is checked in lowering (lower_triggers.c). */
  static void set_attempts(struct trigger_option *o, const struct value *n) {
    o->has_attempts = true;
    o->attempts_whole = n->kind == V_INT;
    o->attempts = o->attempts_whole ? n->integer : 0;
  }
  static struct wcond *mkwcond(struct parse_ctx *ctx, enum wcond_kind kind, SFC_YYLTYPE l) {
    struct wcond *c = MAKE(struct wcond);
    c->kind = kind;
    c->loc = L(ctx, l);
    return c;
  }
  static struct wcond *mkwtest(struct parse_ctx *ctx, SFC_YYLTYPE l, struct value *field,
                               enum wtest_op op, struct value *operand) {
    struct wcond *c = mkwcond(ctx, W_TEST, l);
    c->field = field;
    c->op = op;
    c->operand = operand;
    return c;
  }
  /* A declaration is broken when error recovery ran inside it. */
  static void add_decl(struct parse_ctx *ctx, struct decl *d) {
    d->broken = ctx->broken;
    ctx->broken = false;
    if (ctx->last_decl) ctx->last_decl->next = d;
    else ctx->decls = d;
    ctx->last_decl = d;
  }
  static void misplaced_test(struct parse_ctx *ctx, SFC_YYLTYPE at) {
    diag_error(ctx->diag, L(ctx, at), "a test block goes at the top level of a file, outside any "
               "workflow or test");
  }
  /* Test blocks: mocks and expectations in source order. */
  static struct test_mock *mkmock(struct parse_ctx *ctx, enum mock_target target, struct name n,
                                  SFC_YYLTYPE l, struct test_answer *answers) {
    struct test_mock *m = MAKE(struct test_mock);
    m->target = target;
    m->name = n;
    m->loc = L(ctx, l);
    m->answers = answers;
    return m;
  }
  static struct test_answer *mkanswer(struct parse_ctx *ctx, struct error_name *error, struct str *cause,
                                      struct value *times, struct value *returns) {
    struct test_answer *a = MAKE(struct test_answer);
    a->error = error;
    a->cause = cause;
    a->times = times;
    a->returns = returns;
    return a;
  }
  static struct test_expect *mkexpect(struct parse_ctx *ctx, enum expect_kind kind, SFC_YYLTYPE l) {
    struct test_expect *e = MAKE(struct test_expect);
    e->kind = kind;
    e->loc = L(ctx, l);
    return e;
  }
  /* A rule built from its options (rule_opts makes the struct). */
  static struct rule *with_rule_opts(struct parse_ctx *ctx, SFC_YYLTYPE l, struct cond *c, struct rule *r) {
    r->loc = L(ctx, l);
    r->cond = c;
    return r;
  }
  /* `task T ...` outside a workflow: the keyword, for the error. */
  static const char *state_keyword_text(const struct state *s) {
    return s->kind == S_TASK && s->task == T_EMIT ? "emit" : state_kind_name(s->kind);
  }
  static struct loc state_keyword(struct parse_ctx *ctx, const struct state *s, SFC_YYLTYPE l) {
    struct loc at = L(ctx, l);
    at.end = at.start + (int)strlen(state_keyword_text(s));
    return at;
  }
  static void describe_bad(struct buf *b, struct parse_ctx *ctx, SFC_YYLTYPE l);
  /* Error recovery threw away what the error token spans (what it popped, or the
     token it skipped): if that held the start of a declaration, the declaration and
     its name are lost, so a name not found may have been declared there. */
  static void note_lost(struct parse_ctx *ctx, yyscan_t scanner, SFC_YYLTYPE l) {
    const struct lexstate *ls = sfc_yyget_extra(scanner);
    for (int i = ls->ndecl_starts - 1; i >= 0 && ls->decl_starts[i] >= l.start; i--)
      if (ls->decl_starts[i] < l.end) ctx->lost_names = true;
  }
  #define RECOVERED(l) (ctx->broken = true, note_lost(ctx, scanner, (l)))
  /* A bad token that error recovery throws away unreported still gets its error. */
  static void discard_bad(struct parse_ctx *ctx, SFC_YYLTYPE l) {
    if (ctx->bad_reported == l.start + 1) return;
    struct buf b = {0};
    describe_bad(&b, ctx, l);
    ctx->diag->syntax_errors++;
    diag_error(ctx->diag, L(ctx, l), "unexpected %s", b.data);
    buf_free(&b);
  }
  /* Appends ITEM to the list FIRST .. LAST (two fields of a struct). */
  #define APPEND_TO(first, last, item)                             \
    do {                                                           \
      if ((last)) (last)->next = (item);                           \
      else (first) = (item);                                       \
      (last) = (item);                                             \
    } while (0)
  /* Appends to a list kept as (first, last) in a two-pointer struct. */
  #define APPEND(list, item)                                       \
    do {                                                           \
      if ((item)) {                                                \
        if ((list).last) (list).last->next = (item);               \
        else (list).first = (item);                                \
        (list).last = (item);                                      \
      }                                                            \
    } while (0)

  static void sfc_yyerror(SFC_YYLTYPE *l, yyscan_t scanner, struct parse_ctx *ctx, const char *msg);

  /* After an error, parsing resumes at the next declaration, state, rule or branch.
     Errors are reported again at once (yyerrok) only when the token in hand is one
     that starts such a unit there; any other token is skipped by the recovery, and
     calling yyerrok on it would report the same token forever. */
  enum resume { RESUME_DECL, RESUME_WORKFLOW, RESUME_STATE, RESUME_RULE, RESUME_BRANCH, RESUME_TEST };
  static bool resumes(int token, enum resume where) {
    switch (token) {
    case TOK_TASK: case TOK_PASS: case TOK_WAIT: case TOK_CHOICE: case TOK_PARALLEL:
    case TOK_SUCCEED: case TOK_FAIL: case TOK_EMIT: case TOK_MAP:
      return where == RESUME_WORKFLOW || where == RESUME_STATE || where == RESUME_BRANCH;
    case TOK_COMMENT: case TOK_TYPE: case TOK_TIMEOUT: case TOK_VERSION: case TOK_QUERY:
    case TOK_TRACING: case TOK_LOGGING: case TOK_ON_S3: case TOK_ON_SCHEDULE: case TOK_ON_EVENT:
    case TOK_ON_WORKFLOW: case TOK_ON_PATTERN: case TOK_ALLOW:
      return where == RESUME_WORKFLOW;
    case TOK_BRANCH: return where == RESUME_BRANCH;
    case TOK_MOCK: case TOK_EXPECT: case TOK_INPUT: return where == RESUME_TEST;
    case TOK_WORKFLOW: return where == RESUME_DECL || where == RESUME_TEST;
    case TOK_WHEN: case TOK_OTHERWISE: return where == RESUME_RULE;
    case '}': return where != RESUME_DECL;
    case TOK_PARAM: case TOK_LAMBDA: case TOK_ACTIVITY: case TOK_QUEUE: case TOK_TOPIC:
    case TOK_TABLE: case TOK_BUS: case TOK_BUCKET: case TOK_STATEMACHINE: case TOK_ROLE:
    case TOK_EVENT: case TOK_AWS: case TOK_TEST: case TOK_YYEOF:
      return where == RESUME_DECL;
    default: return false;
    }
  }
}


%token <const char *> IDENT "identifier"
%token <const char *> DOTTED "dotted name"
%token <struct str *> STRING "string literal"
%token <struct value *> NUMBER "number literal"
%token <struct value *> PATH "path"
%token <long long> DURATION "duration"
%token <struct value *> JSONATA "JSONata expression"

%token ACCOUNT "account" ACTIVITY "activity" AND "and" ANY "any" ATTEMPTS "attempts"
%token AWS "aws" BACKOFF "backoff" BOOLEAN "boolean" BRANCH "branch" BUCKET "bucket"
%token BUS "bus" CATCH "catch" CAUSE "cause" CHOICE "choice" COMMENT "comment"
%token DELAY "delay" DESCRIPTION "description" DETAIL_TYPE "detail-type" EMIT "emit"
%token END "end" ERROR "error" EVENT "event" EVERY "every" EXPRESS "express" FAIL "fail"
%token FALSE "false" FROM "from" HEARTBEAT "heartbeat" INTO "into" INVOKE "invoke"
%token IS "is" JITTER "jitter" LAMBDA "lambda" MATCHES "matches" MAX "max" NOT "not"
%token NOTHING "nothing" NULL "null" NUMBER_KW "number" OR "or" OTHERWISE "otherwise"
%token OUTPUT "output" PARALLEL "parallel" PARAM "param" PARTITION "partition" PASS "pass"
%token PRESENT "present" PUBLISH "publish" QUEUE "queue" REGION "region"
%token RESOURCE "resource" RETRY "retry" ROLE "role" SELECT "select" SOURCE "source"
%token STANDARD "standard" STATEMACHINE "statemachine" STRING_KW "string"
%token SUBJECT "subject" SUCCEED "succeed" TABLE "table" TASK "task" TIMEOUT "timeout"
%token TIMESTAMP "timestamp" TOPIC "topic" TRUE "true" TYPE "type" UNTIL "until"
%token WAIT "wait" WHEN "when" WITH "with" WORKFLOW "workflow"
%token AS "as" ASL "asl" ASSIGN "assign" ATTRIBUTES "attributes" BATCH "batch" CALL "call"
%token CONCURRENCY "concurrency" CONNECTION "connection" CREDENTIALS "credentials"
%token DEDUP "dedup" DELETE "delete" DISTRIBUTED "distributed" FAILURES "failures" GET "get"
%token GROUP "group" HTTP "http" ITEM "item" KEY "key" LABEL "label" MAP "map" ON "on"
%token OVER "over" PUT "put" READER "reader" RESOURCES "resources" RUN "run" SEND "send"
%token START "start" SYNC "sync" TOLERATE "tolerate" UPDATE "update" VERSION "version"
%token WRITER "writer" QUERY "query" JSONATA_KW "jsonata" JSONPATH_KW "jsonpath"
%token TRACING "tracing" LOGGING "logging"
%token OBJECT "object" WHERE "where" PREFIX "prefix" SUFFIX "suffix" LIKE "like" EXISTS "exists"
%token CIDR "cidr" EQUALS "equals" IGNORE "ignore" CASE "case" IN "in" AGE "age" DEAD "dead"
%token LETTER "letter" DISABLED "disabled" NAME "name" TIMEZONE "timezone" WINDOW "window"
%token ON_S3 "on s3" ON_SCHEDULE "on schedule" ON_EVENT "on event" ON_WORKFLOW "on workflow"
%token ON_PATTERN "on pattern" ALLOW "allow" BY "by"
/* `test` before a quoted name starts a test block; the words after it are keywords
   only directly inside one (sfc_yylex below), so they stay free as names elsewhere. */
%token TEST "test" MOCK "mock" EXPECT "expect" INPUT "input" RETURNS "returns"
%token THROWS "throws" TIMES "times" THEN "then" PATH_KW "path keyword" PASSES "passes"
%token THROUGH "through" CALLED "called" STARTED "started"
%token <struct value *> SCHEDULE "schedule expression"
%token WAIT_FOR_CALLBACK "wait for callback"
%token ARROW "->" EQ "==" NE "!=" LE "<=" GE ">="
/* Characters that start no token, a run of them one token; no rule takes it, so the
   parser reports it with what it expected there. */
%token BAD "bad character"

/* Error recovery throws away tokens it cannot use: a bad token thrown away unreported
   gets its error then. */
%destructor { discard_bad(ctx, @$); } BAD

%left OR
%left AND
%precedence NOT
/* `catch E -> S into $.x`: an `into` right after a catch belongs to the catch. */
%precedence CATCH_DONE
%precedence INTO ASSIGN OUTPUT
/* `emit E with V`: a `with` right after an event belongs to that entry. */
%precedence ENTRY_DONE
%precedence WITH
/* A `comment` or `timeout` right after a state belongs to the state, not the workflow. */
%precedence STATE_DONE
%precedence COMMENT TIMEOUT QUERY

%nterm <struct name> name
%nterm <struct state *> state
%nterm <struct option_list> items tail
%nterm <struct option *> item catch_opts catch_into catch_assign catch_output
%nterm <struct path_list> on_targets
%nterm <struct name_list *> on_target
%nterm <struct emit_entry *> emit_entries emit_entry
%nterm <struct rule *> rule_opts
%nterm <struct state_list> stmts
%nterm <struct rule_list> rules
%nterm <struct rule *> rule
%nterm <struct branch_list> branches
%nterm <struct branch *> branch
%nterm <struct cond *> cond test cond_items cond_item
%nterm <int> cmp cast type_test resource_kind
%nterm <struct value *> value
%nterm <struct member_list> members member_list
%nterm <struct member *> member
%nterm <struct value_list> elems value_list args
%nterm <const char *> key keyword log_level http_method
%nterm <struct error_list> errors
%nterm <struct error_name *> error_item
%nterm <struct retry_field_list> retry_fields
%nterm <struct retry_field *> retry_field
%nterm <struct field_list> fields
%nterm <struct field *> field
%nterm <struct workflow *> wf_body
%nterm <struct trigger *> trigger
%nterm <struct trigger_option *> titems titem
%nterm <struct wcond *> wcond wtest
%nterm <struct value *> wfield
%nterm <struct test *> test_body
%nterm <struct test_mock *> mock
%nterm <struct answer_list> mock_answers
%nterm <struct test_answer *> mock_answer
%nterm <struct test_expect *> expect
%nterm <struct path_list> state_path

%%

program
  : %empty
  | program decl                     { trace_item(ctx, @2.start); }
  | program error                    { note_lost(ctx, scanner, @2); ctx->broken = false; if (resumes(yychar, RESUME_DECL)) yyerrok; }
  ;

decl
  : PARAM IDENT                      { add_decl(ctx, mkdecl(ctx, D_PARAM, mkname(ctx, $2, @2), @$)); }
  | PARAM IDENT '=' value            { struct decl *d = mkdecl(ctx, D_PARAM, mkname(ctx, $2, @2), @$);
                                       d->param_default = $4; add_decl(ctx, d); }
  | resource_kind IDENT '=' STRING   { struct decl *d = mkdecl(ctx, D_RESOURCE, mkname(ctx, $2, @2), @$);
                                       d->resource = (enum resource_kind)$1; d->value = $4; add_decl(ctx, d); }
  /* who manages a bucket's notifications or a queue's policy: check.c reads the words */
  | resource_kind IDENT '=' STRING IDENT IDENT
                                     { struct decl *d = mkdecl(ctx, D_RESOURCE, mkname(ctx, $2, @2), @$);
                                       d->resource = (enum resource_kind)$1; d->value = $4;
                                       d->setting = mkname(ctx, $5, @5); d->setting_value = mkname(ctx, $6, @6);
                                       add_decl(ctx, d); }
  | EVENT IDENT '{' fields '}'       { struct decl *d = mkdecl(ctx, D_EVENT, mkname(ctx, $2, @2), @$);
                                       d->fields = $4.first; add_decl(ctx, d); }
  | AWS '{' fields '}'               { struct decl *d = mkdecl(ctx, D_AWS, mkname(ctx, "aws", @1), @$);
                                       d->fields = $3.first; add_decl(ctx, d); }
  | WORKFLOW name '{' wf_body '}'    { struct decl *d = mkdecl(ctx, D_WORKFLOW, $2, @2);
                                       $4->name = $2; d->workflow = $4; add_decl(ctx, d); }
  /* A broken declaration keeps its name, so using it elsewhere is not a second error. */
  | PARAM IDENT '=' error            { RECOVERED(@4); add_decl(ctx, mkdecl(ctx, D_PARAM, mkname(ctx, $2, @2), @$)); }
  | resource_kind IDENT error        { RECOVERED(@3);
                                       struct decl *d = mkdecl(ctx, D_RESOURCE, mkname(ctx, $2, @2), @$);
                                       d->resource = (enum resource_kind)$1; add_decl(ctx, d); }
  | EVENT IDENT error                { RECOVERED(@3); add_decl(ctx, mkdecl(ctx, D_EVENT, mkname(ctx, $2, @2), @$)); }
  | AWS error                        { RECOVERED(@2); add_decl(ctx, mkdecl(ctx, D_AWS, mkname(ctx, "aws", @1), @$)); }
  /* A test's name is no declared name: tests have a namespace of their own. */
  | TEST STRING '{' test_body '}'    { struct decl *d = mkdecl(ctx, D_TEST, (struct name){NULL, LOC(@2)}, @$);
                                       $4->name = $2; $4->loc = LOC(@1); $4->loc.end = LOC(@2).end;
                                       d->test = $4; add_decl(ctx, d); }
  | TEST STRING error                { RECOVERED(@3); struct decl *d = mkdecl(ctx, D_TEST, (struct name){NULL, LOC(@2)}, @$);
                                       d->test = MAKE(struct test); d->test->name = $2; d->test->loc = LOC(@1);
                                       d->test->loc.end = LOC(@2).end; add_decl(ctx, d); }
  /* A state outside a workflow is one error, and parsing goes on after it. */
  | state                            { diag_error(ctx->diag, state_keyword(ctx, $1, @1),
                                                  "states belong in a workflow { }: this '%s' is outside any workflow",
                                                  state_keyword_text($1)); }
  ;

/* Triggers: `on KIND ...` in a workflow, each one EventBridge rule or schedule. */
trigger
  : ON_S3 IDENT OBJECT IDENT titems  { $$ = mktrigger(ctx, TR_S3, @$, $5); $$->target = mkname(ctx, $2, @2);
                                       $$->what = mkname(ctx, $4, @4); }
  | ON_SCHEDULE SCHEDULE titems      { $$ = mktrigger(ctx, TR_SCHEDULE, @$, $3); $$->expr = $2; }
  | ON_EVENT IDENT titems            { $$ = mktrigger(ctx, TR_EVENT, @$, $3); $$->target = mkname(ctx, $2, @2); }
  | ON_EVENT FROM STRING titems      { $$ = mktrigger(ctx, TR_EVENT_FROM, @$, $4); $$->source = $3; }
  | ON_WORKFLOW name IDENT titems    { $$ = mktrigger(ctx, TR_WORKFLOW, @$, $4); $$->target = $2;
                                       $$->what = mkname(ctx, $3, @3); }
  | ON_WORKFLOW name IDENT IDENT titems
                                     { $$ = mktrigger(ctx, TR_WORKFLOW, @$, $5); $$->target = $2;
                                       $$->what = mkname(ctx, arena_printf(ctx->arena, "%s %s", $3, $4), @3);
                                       $$->what.loc.end = LOC(@4).end; }
  | ON_PATTERN value titems          { $$ = mktrigger(ctx, TR_PATTERN, @$, $3); $$->expr = $2; }
  ;

titems
  : %empty %prec STATE_DONE          { $$ = NULL; }
  | titems titem                     { $$ = $1; if ($$) { struct trigger_option *t = $$; while (t->next) t = t->next;
                                       t->next = $2; } else $$ = $2; }
  ;

titem
  : WHERE wcond                      { $$ = mktopt(ctx, TRIG_WHERE, @$); $$->where = $2; }
  | WITH value                       { $$ = mktopt(ctx, TRIG_WITH, @$); $$->value = $2; }
  | FROM PATH                        { $$ = mktopt(ctx, TRIG_FROM, @$); $$->value = $2; }
  | RETRY ATTEMPTS NUMBER            { $$ = mktopt(ctx, TRIG_RETRY, @$); set_attempts($$, $3); }
  | RETRY ATTEMPTS NUMBER MAX AGE DURATION
                                     { $$ = mktopt(ctx, TRIG_RETRY, @$); set_attempts($$, $3);
                                       $$->max_age = $6; $$->has_max_age = true; }
  | RETRY MAX AGE DURATION           { $$ = mktopt(ctx, TRIG_RETRY, @$);
                                       $$->max_age = $4; $$->has_max_age = true; }
  | DEAD LETTER IDENT                { $$ = mktopt(ctx, TRIG_DEAD_LETTER, @$); $$->ref = mkname(ctx, $3, @3); }
  | DISABLED                         { $$ = mktopt(ctx, TRIG_DISABLED, @$); }
  | NAME STRING                      { $$ = mktopt(ctx, TRIG_NAME, @$); $$->text = $2; }
  | DESCRIPTION STRING               { $$ = mktopt(ctx, TRIG_DESCRIPTION, @$); $$->text = $2; }
  | TIMEZONE STRING                  { $$ = mktopt(ctx, TRIG_TIMEZONE, @$); $$->text = $2; }
  | WINDOW DURATION                  { $$ = mktopt(ctx, TRIG_WINDOW, @$); $$->seconds = $2; }
  | DETAIL_TYPE STRING               { $$ = mktopt(ctx, TRIG_DETAIL_TYPE, @$); $$->text = $2; }
  | BUS IDENT                        { $$ = mktopt(ctx, TRIG_BUS, @$); $$->ref = mkname(ctx, $2, @2); }
  ;

/* where: tests on event fields, combined with and / or. */
wcond
  : wcond OR wcond                   { $$ = mkwcond(ctx, W_OR, @$); $$->left = $1; $$->right = $3; }
  | wcond AND wcond                  { $$ = mkwcond(ctx, W_AND, @$); $$->left = $1; $$->right = $3; }
  | '(' wcond ')'                    { $$ = $2; }
  | wtest
  ;

wtest
  : wfield EQ value                  { $$ = mkwtest(ctx, @$, $1, WT_EQ, $3); }
  | wfield NE value                  { $$ = mkwtest(ctx, @$, $1, WT_NE, $3); }
  | wfield IN '[' elems ']'          { struct value *l = mkvalue(ctx, V_ARRAY, @3); l->loc.end = LOC(@5).end;
                                       l->items = $4.first; $$ = mkwtest(ctx, @$, $1, WT_IN, l); }
  | wfield NOT IN '[' elems ']'      { struct value *l = mkvalue(ctx, V_ARRAY, @4); l->loc.end = LOC(@6).end;
                                       l->items = $5.first; $$ = mkwtest(ctx, @$, $1, WT_NOT_IN, l); }
  | wfield PREFIX value              { $$ = mkwtest(ctx, @$, $1, WT_PREFIX, $3); }
  | wfield NOT PREFIX value          { $$ = mkwtest(ctx, @$, $1, WT_NOT_PREFIX, $4); }
  | wfield SUFFIX value              { $$ = mkwtest(ctx, @$, $1, WT_SUFFIX, $3); }
  | wfield NOT SUFFIX value          { $$ = mkwtest(ctx, @$, $1, WT_NOT_SUFFIX, $4); }
  | wfield LIKE value                { $$ = mkwtest(ctx, @$, $1, WT_LIKE, $3); }
  | wfield NOT LIKE value            { $$ = mkwtest(ctx, @$, $1, WT_NOT_LIKE, $4); }
  | wfield '<' value                 { $$ = mkwtest(ctx, @$, $1, WT_LT, $3); }
  | wfield LE value                  { $$ = mkwtest(ctx, @$, $1, WT_LE, $3); }
  | wfield '>' value                 { $$ = mkwtest(ctx, @$, $1, WT_GT, $3); }
  | wfield GE value                  { $$ = mkwtest(ctx, @$, $1, WT_GE, $3); }
  | wfield EXISTS                    { $$ = mkwtest(ctx, @$, $1, WT_EXISTS, NULL); }
  | wfield NOT EXISTS                { $$ = mkwtest(ctx, @$, $1, WT_NOT_EXISTS, NULL); }
  | wfield IN CIDR value             { $$ = mkwtest(ctx, @$, $1, WT_CIDR, $4); }
  | wfield EQUALS IGNORE CASE value  { $$ = mkwtest(ctx, @$, $1, WT_IGNORE_CASE, $5); }
  | wfield NOT EQUALS IGNORE CASE value { $$ = mkwtest(ctx, @$, $1, WT_NOT_IGNORE_CASE, $6); }
  | wfield PREFIX IGNORE CASE value  { $$ = mkwtest(ctx, @$, $1, WT_PREFIX_IGNORE_CASE, $5); }
  | wfield SUFFIX IGNORE CASE value  { $$ = mkwtest(ctx, @$, $1, WT_SUFFIX_IGNORE_CASE, $5); }
  ;

/* A field: a path into the event, or a shorthand name (key, size, ...). */
wfield
  : PATH                             { $$ = $1; }
  | IDENT                            { $$ = mkvalue(ctx, V_STRING, @1); $$->string = MAKE(struct str);
                                       $$->string->text = $1; $$->string->len = strlen($1); $$->string->loc = LOC(@1); }
  | keyword                          { $$ = mkvalue(ctx, V_STRING, @1); $$->string = MAKE(struct str);
                                       $$->string->text = $1; $$->string->len = strlen($1); $$->string->loc = LOC(@1); }
  ;

/* GET, PUT and DELETE are written in capitals; the keywords get, put, delete are
   accepted here so the checker can say so. */
http_method
  : IDENT
  | GET                              { $$ = "get"; }
  | PUT                              { $$ = "put"; }
  | DELETE                           { $$ = "delete"; }
  ;

log_level
  : IDENT
  | ERROR                            { $$ = "error"; }
  ;

resource_kind
  : LAMBDA { $$ = R_LAMBDA; } | ACTIVITY { $$ = R_ACTIVITY; } | QUEUE { $$ = R_QUEUE; }
  | TOPIC { $$ = R_TOPIC; } | TABLE { $$ = R_TABLE; } | BUS { $$ = R_BUS; }
  | BUCKET { $$ = R_BUCKET; } | STATEMACHINE { $$ = R_STATEMACHINE; } | ROLE { $$ = R_ROLE; }
  ;

fields
  : %empty                           { $$.first = $$.last = NULL; }
  | fields field                     { $$ = $1; APPEND($$, $2); trace_item(ctx, @2.start); }
  ;

field
  : SOURCE STRING        { $$ = MAKE(struct field); $$->keyword = TOK_SOURCE; $$->loc = LOC(@$); $$->text = $2; }
  | DETAIL_TYPE STRING   { $$ = MAKE(struct field); $$->keyword = TOK_DETAIL_TYPE; $$->loc = LOC(@$); $$->text = $2; }
  | DESCRIPTION STRING   { $$ = MAKE(struct field); $$->keyword = TOK_DESCRIPTION; $$->loc = LOC(@$); $$->text = $2; }
  | ACCOUNT STRING       { $$ = MAKE(struct field); $$->keyword = TOK_ACCOUNT; $$->loc = LOC(@$); $$->text = $2; }
  | REGION STRING        { $$ = MAKE(struct field); $$->keyword = TOK_REGION; $$->loc = LOC(@$); $$->text = $2; }
  | PARTITION STRING     { $$ = MAKE(struct field); $$->keyword = TOK_PARTITION; $$->loc = LOC(@$); $$->text = $2; }
  | BUS IDENT            { $$ = MAKE(struct field); $$->keyword = TOK_BUS; $$->loc = LOC(@$);
                           $$->ref = mkname(ctx, $2, @2); }
  ;

wf_body
  : %empty                           { $$ = MAKE(struct workflow); }
  | wf_body COMMENT STRING           { $$ = $1; trace_item(ctx, @2.start); if ($$->comment) duplicate_setting(ctx, "comment", @2);
                                       $$->comment = $3; $$->comment_loc = LOC(@2); }
  | wf_body TYPE STANDARD            { $$ = $1; trace_item(ctx, @2.start); if ($$->has_type) duplicate_setting(ctx, "type", @2);
                                       $$->express = false; $$->has_type = true; $$->type_loc = LOC(@2); }
  | wf_body TYPE EXPRESS             { $$ = $1; trace_item(ctx, @2.start); if ($$->has_type) duplicate_setting(ctx, "type", @2);
                                       $$->express = true; $$->has_type = true; $$->type_loc = LOC(@2); }
  | wf_body TIMEOUT DURATION         { $$ = $1; trace_item(ctx, @2.start); if ($$->has_timeout) duplicate_setting(ctx, "timeout", @2);
                                       $$->timeout = $3; $$->has_timeout = true;
                                       $$->timeout_loc = LOC(@3); }
  | wf_body QUERY JSONATA_KW         { $$ = $1; trace_item(ctx, @2.start); if ($$->has_query) duplicate_setting(ctx, "query", @2);
                                       $$->jsonata = true; $$->has_query = true; }
  | wf_body QUERY JSONPATH_KW        { $$ = $1; trace_item(ctx, @2.start); if ($$->has_query) duplicate_setting(ctx, "query", @2);
                                       $$->jsonata = false; $$->has_query = true; }
  | wf_body TRACING                  { $$ = $1; trace_item(ctx, @2.start); if ($$->tracing) duplicate_setting(ctx, "tracing", @2);
                                       $$->tracing = true; }
  | wf_body LOGGING log_level        { $$ = $1; trace_item(ctx, @2.start); set_logging(ctx, $$, $3, @3, NULL, NULL, @2); }
  | wf_body LOGGING log_level IDENT IDENT
                                     { $$ = $1; trace_item(ctx, @2.start);
                                       set_logging(ctx, $$, $3, @3, $4, $5, @4); }
  | wf_body trigger                  { $$ = $1; trace_item(ctx, @2.start);
                                       if ($$->last_trigger) $$->last_trigger->next = $2; else $$->triggers = $2;
                                       $$->last_trigger = $2; }
  | wf_body ALLOW START BY IDENT     { $$ = $1; trace_item(ctx, @2.start); struct allowed_starter *a = MAKE(struct allowed_starter);
                                       a->role = mkname(ctx, $5, @5); a->next = $$->starters; $$->starters = a; }
  | wf_body VERSION STRING           { $$ = $1; trace_item(ctx, @2.start); if ($$->version) duplicate_setting(ctx, "version", @2);
                                       $$->version = $3; }
  | wf_body state                    { $$ = $1; trace_item(ctx, @2.start);
                                       if ($$->body_last) $$->body_last->next = $2;
                                       else $$->body.first = $2;
                                       $$->body_last = $2; }
  | wf_body error                    { $$ = $1; RECOVERED(@2); if (resumes(yychar, RESUME_WORKFLOW)) yyerrok; }
  | wf_body TEST STRING '{' test_body '}'
                                     { $$ = $1; trace_item(ctx, @2.start); misplaced_test(ctx, @2); }
  ;

/* The inside of a test block: its settings, mocks and expectations, in any order. */
test_body
  : %empty                           { $$ = MAKE(struct test); }
  | test_body WORKFLOW name          { $$ = $1; trace_item(ctx, @2.start); if ($$->workflow.loc.end)
                                         diag_error(ctx->diag, LOC(@2), "duplicate 'workflow' in this test");
                                       $$->workflow = $3; }
  | test_body INPUT value            { $$ = $1; trace_item(ctx, @2.start);
                                       if ($$->input) diag_error(ctx->diag, LOC(@2), "duplicate 'input' in this test");
                                       $$->input = $3; }
  | test_body mock                   { $$ = $1; trace_item(ctx, @2.start); APPEND_TO($$->mocks, $$->last_mock, $2); }
  | test_body expect                 { $$ = $1; trace_item(ctx, @2.start); APPEND_TO($$->expects, $$->last_expect, $2); }
  | test_body EVENT value            { $$ = $1; trace_item(ctx, @2.start);
                                       struct test_event *e = MAKE(struct test_event); e->value = $3;
                                       e->loc = LOC(@$); e->loc.start = LOC(@2).start;
                                       APPEND_TO($$->events, $$->last_event, e); }
  | test_body EVENT value BUS name   { $$ = $1; trace_item(ctx, @2.start);
                                       struct test_event *e = MAKE(struct test_event); e->value = $3;
                                       e->loc = LOC(@$); e->loc.start = LOC(@2).start; e->bus = $5;
                                       APPEND_TO($$->events, $$->last_event, e); }
  | test_body error                  { $$ = $1; RECOVERED(@2); if (resumes(yychar, RESUME_TEST)) yyerrok; }
  /* a test inside a test or a workflow: one error, and the block is read and dropped */
  | test_body TEST STRING '{' test_body '}'
                                     { $$ = $1; trace_item(ctx, @2.start); misplaced_test(ctx, @2); }
  ;

/* mock STATE, or every task that calls a resource, starts a workflow or sends an event */
mock
  : MOCK name mock_answers           { $$ = mkmock(ctx, MOCK_STATE, $2, @$, $3.first); }
  | MOCK resource_kind IDENT mock_answers
                                     { $$ = mkmock(ctx, MOCK_RESOURCE, mkname(ctx, $3, @3), @$, $4.first);
                                       $$->kind = (enum resource_kind)$2; }
  | MOCK WORKFLOW name mock_answers  { $$ = mkmock(ctx, MOCK_WORKFLOW, $3, @$, $4.first); }
  | MOCK EVENT IDENT mock_answers    { $$ = mkmock(ctx, MOCK_EVENT, mkname(ctx, $3, @3), @$, $4.first); }
  ;

/* returns A then throws E 2 times then returns B: the answers to the calls, in order */
mock_answers
  : mock_answer                      { $$.first = $$.last = $1; }
  | mock_answers THEN mock_answer    { $$ = $1; APPEND($$, $3); }
  ;

mock_answer
  : RETURNS value                    { $$ = mkanswer(ctx, NULL, NULL, NULL, $2); }
  | RETURNS value NUMBER TIMES       { $$ = mkanswer(ctx, NULL, NULL, $3, $2); }
  | THROWS error_item                { $$ = mkanswer(ctx, $2, NULL, NULL, NULL); }
  | THROWS error_item CAUSE STRING   { $$ = mkanswer(ctx, $2, $4, NULL, NULL); }
  | THROWS error_item NUMBER TIMES   { $$ = mkanswer(ctx, $2, NULL, $3, NULL); }
  | THROWS error_item CAUSE STRING NUMBER TIMES
                                     { $$ = mkanswer(ctx, $2, $4, $5, NULL); }
  ;

expect
  : EXPECT OUTPUT value              { $$ = mkexpect(ctx, EXPECT_OUTPUT, @$); $$->value = $3; }
  | EXPECT ERROR error_item          { $$ = mkexpect(ctx, EXPECT_ERROR, @$); $$->error = $3; }
  | EXPECT ERROR error_item CAUSE STRING
                                     { $$ = mkexpect(ctx, EXPECT_ERROR, @$); $$->error = $3; $$->cause = $5; }
  | EXPECT PATH_KW state_path        { $$ = mkexpect(ctx, EXPECT_PATH, @$); $$->path = $3.first; }
  | EXPECT PASSES THROUGH name       { $$ = mkexpect(ctx, EXPECT_PASSES, @$); $$->state = $4; }
  | EXPECT name INPUT value          { $$ = mkexpect(ctx, EXPECT_INPUT, @$); $$->state = $2; $$->value = $4; }
  | EXPECT name OUTPUT value         { $$ = mkexpect(ctx, EXPECT_STATE_OUTPUT, @$); $$->state = $2; $$->value = $4; }
  | EXPECT name CALLED WITH value    { $$ = mkexpect(ctx, EXPECT_CALLED, @$); $$->state = $2; $$->value = $5; }
  | EXPECT name CALLED NUMBER TIMES  { $$ = mkexpect(ctx, EXPECT_TIMES, @$); $$->state = $2; $$->value = $4; }
  | EXPECT name STARTED              { $$ = mkexpect(ctx, EXPECT_STARTED, @$); $$->state = $2; }
  | EXPECT name STARTED NUMBER TIMES { $$ = mkexpect(ctx, EXPECT_STARTED, @$); $$->state = $2; $$->value = $4; }
  | EXPECT name NOT STARTED          { $$ = mkexpect(ctx, EXPECT_STARTED, @$); $$->state = $2;
                                       $$->value = mkvalue(ctx, V_INT, @3); $$->value->integer = 0; }
  | EXPECT name IDENT                { $$ = mkexpect(ctx, EXPECT_ENDED, @$); $$->state = $2;
                                       $$->status = mkname(ctx, $3, @3); }
  ;

state_path
  : name                             { $$.first = $$.last = MAKE(struct name_list); $$.first->name = $1; }
  | state_path ARROW name            { $$ = $1; struct name_list *n = MAKE(struct name_list); n->name = $3;
                                       APPEND($$, n); }
  ;

stmts
  : %empty                           { $$.first = $$.last = NULL; }
  | stmts state                      { $$ = $1; APPEND($$, $2); trace_item(ctx, @2.start); }
  | stmts error                      { $$ = $1; RECOVERED(@2); if (resumes(yychar, RESUME_STATE)) yyerrok; }
  ;

name
  : IDENT                            { $$ = mkname(ctx, $1, @1); }
  | STRING                           { $$ = mkname(ctx, $1->parts ? NULL : $1->text, @1);
                                       if ($1->parts) diag_error(ctx->diag, LOC(@1),
                                         "a name cannot use ${...} interpolation"); }
  ;

state
  : TASK name INVOKE IDENT tail      { $$ = mktask(ctx, T_INVOKE, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name ACTIVITY IDENT tail    { $$ = mktask(ctx, T_ACTIVITY, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name PUBLISH IDENT tail     { $$ = mktask(ctx, T_PUBLISH, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name SEND IDENT tail        { $$ = mktask(ctx, T_SEND, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name GET IDENT tail         { $$ = mktask(ctx, T_GET, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name PUT IDENT tail         { $$ = mktask(ctx, T_PUT, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name UPDATE IDENT tail      { $$ = mktask(ctx, T_UPDATE, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name DELETE IDENT tail      { $$ = mktask(ctx, T_DELETE, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | TASK name START name tail        { $$ = mktask(ctx, T_START, $2, $4, @2, $5.first); }
  | TASK name CALL STRING tail       { $$ = mktask(ctx, T_CALL, $2, (struct name){0}, @2, $5.first);
                                       $$->resource = $4; }
  | TASK name HTTP http_method STRING tail
                                     { $$ = mktask(ctx, T_HTTP, $2, (struct name){0}, @2, $6.first);
                                       $$->method = mkname(ctx, $4, @4); $$->resource = $5; }
  | TASK name RUN IDENT tail         { $$ = mktask(ctx, T_RUN_ECS, $2, (struct name){0}, @2, $5.first);
                                       $$->method = mkname(ctx, $4, @4); }
  | TASK name RUN BATCH tail         { $$ = mktask(ctx, T_RUN_BATCH, $2, (struct name){0}, @2, $5.first);
                                       $$->method = mkname(ctx, "batch", @4); }
  | TASK name RESOURCE STRING tail   { $$ = mktask(ctx, T_RESOURCE, $2, (struct name){0}, @2, $5.first);
                                       $$->resource = $4; }
  | TASK name RESOURCE IDENT tail    { $$ = mktask(ctx, T_RESOURCE_LAMBDA, $2, mkname(ctx, $4, @4), @2, $5.first); }
  | EMIT emit_entries tail           { $$ = mktask(ctx, T_EMIT, (struct name){NULL, $2->event.loc}, $2->event,
                                                     @2, $3.first);
                                       $$->entries = $2; }
  | EMIT name '=' emit_entries tail  { $$ = mktask(ctx, T_EMIT, $2, $4->event, @2, $5.first); $$->entries = $4; }
  | PASS name tail                   { $$ = mkstate(ctx, S_PASS, $2, @2, $3.first); }
  | PASS name '=' value tail         { $$ = mkstate(ctx, S_PASS, $2, @2, $5.first); $$->result = $4; }
  | WAIT name DURATION tail          { $$ = mkwait(ctx, W_SECONDS, $2, @2, $4.first); $$->wait_seconds = $3;
                                       $$->wait_loc = LOC(@3); }
  | WAIT name PATH tail              { $$ = mkwait(ctx, W_SECONDS_PATH, $2, @2, $4.first); $$->wait_value = $3; }
  | WAIT name JSONATA tail           { $$ = mkwait(ctx, W_SECONDS_PATH, $2, @2, $4.first); $$->wait_value = $3; }
  | WAIT name UNTIL JSONATA tail     { $$ = mkwait(ctx, W_UNTIL_PATH, $2, @2, $5.first); $$->wait_value = $4; }
  | WAIT name UNTIL STRING tail      { $$ = mkwait(ctx, W_UNTIL, $2, @2, $5.first);
                                       $$->wait_value = mkvalue(ctx, V_STRING, @4); $$->wait_value->string = $4; }
  | WAIT name UNTIL PATH tail        { $$ = mkwait(ctx, W_UNTIL_PATH, $2, @2, $5.first); $$->wait_value = $4; }
  | CHOICE name items '{' rules '}' items %prec STATE_DONE
                                     { $$ = mkstate(ctx, S_CHOICE, $2, @2, $3.first);
                                       if ($3.last) $3.last->next = $7.first; else $$->options = $7.first;
                                       $$->rules = $5.first; }
  | MAP name items '{' stmts '}' items %prec STATE_DONE
                                     { $$ = mkstate(ctx, S_MAP, $2, @2, $3.first);
                                       if ($3.last) $3.last->next = $7.first; else $$->options = $7.first;
                                       struct branch *b = MAKE(struct branch);
                                       b->loc = LOC(@2); b->body.first = $5.first; b->is_map = true;
                                       $$->branches = b; }
  | PARALLEL name items '{' branches '}' items %prec STATE_DONE
                                     { $$ = mkstate(ctx, S_PARALLEL, $2, @2, $3.first);
                                       if ($3.last) $3.last->next = $7.first; else $$->options = $7.first;
                                       $$->branches = $5.first; }
  | SUCCEED name tail                { $$ = mkstate(ctx, S_SUCCEED, $2, @2, $3.first); }
  | FAIL name tail                   { $$ = mkstate(ctx, S_FAIL, $2, @2, $3.first); }
  ;

/* Options follow the head, optionally in a block: `task T invoke f { retry any }`. */
tail
  : items %prec STATE_DONE           { $$ = $1; }
  | items '{' items '}' items %prec STATE_DONE
                                     { $$ = $1; APPEND($$, $3.first); if ($3.last) $$.last = $3.last;
                                       APPEND($$, $5.first); if ($5.last) $$.last = $5.last; }
  ;

items
  : %empty                           { $$.first = $$.last = NULL; }
  | items item                       { $$ = $1; APPEND($$, $2); }
  ;

item
  : FROM PATH                        { $$ = optvalue(ctx, OPT_FROM, @$, $2); }
  | FROM NOTHING                     { $$ = optnothing(ctx, OPT_FROM, @$); }
  | WITH value                       { $$ = optvalue(ctx, OPT_WITH, @$, $2); }
  | SELECT value                     { $$ = optvalue(ctx, OPT_SELECT, @$, $2); }
  | INTO PATH                        { $$ = optvalue(ctx, OPT_INTO, @$, $2); }
  | INTO NOTHING                     { $$ = optnothing(ctx, OPT_INTO, @$); }
  | OUTPUT value                     { $$ = optvalue(ctx, OPT_OUTPUT, @$, $2); }
  | OUTPUT NOTHING                   { $$ = optnothing(ctx, OPT_OUTPUT, @$); }
  | TIMEOUT DURATION                 { $$ = optseconds(ctx, OPT_TIMEOUT, @$, $2); }
  | TIMEOUT PATH                     { $$ = optvalue(ctx, OPT_TIMEOUT, @$, $2); }
  | TIMEOUT JSONATA                  { $$ = optvalue(ctx, OPT_TIMEOUT, @$, $2); }
  | HEARTBEAT DURATION               { $$ = optseconds(ctx, OPT_HEARTBEAT, @$, $2); }
  | HEARTBEAT PATH                   { $$ = optvalue(ctx, OPT_HEARTBEAT, @$, $2); }
  | HEARTBEAT JSONATA                { $$ = optvalue(ctx, OPT_HEARTBEAT, @$, $2); }
  | QUERY JSONATA_KW                 { $$ = mkopt(ctx, OPT_QUERY, @$); $$->express = true; }
  | QUERY JSONPATH_KW                { $$ = mkopt(ctx, OPT_QUERY, @$); }
  | RETRY errors retry_fields        { $$ = mkopt(ctx, OPT_RETRY, @$); $$->errors = $2.first;
                                       $$->fields = $3.first; }
  | CATCH errors ARROW name catch_opts %prec CATCH_DONE
                                     { $$ = $5 ? $5 : mkopt(ctx, OPT_CATCH, @$);
                                       $$->kind = OPT_CATCH; $$->loc = LOC(@$);
                                       $$->errors = $2.first; $$->target = $4; }
  | COMMENT STRING                   { $$ = mkopt(ctx, OPT_COMMENT, @$); $$->text = $2; }
  | WAIT_FOR_CALLBACK                { $$ = mkopt(ctx, OPT_CALLBACK, @$); }
  | ERROR value                      { $$ = optvalue(ctx, OPT_ERROR, @$, $2); }
  | CAUSE value                      { $$ = optvalue(ctx, OPT_CAUSE, @$, $2); }
  | SUBJECT value                    { $$ = optvalue(ctx, OPT_SUBJECT, @$, $2); }
  | ARROW name                       { $$ = mkopt(ctx, OPT_JUMP, @$); $$->target = $2; }
  | SYNC                             { $$ = mkopt(ctx, OPT_SYNC, @$); }
  | KEY value                        { $$ = optvalue(ctx, OPT_KEY, @$, $2); }
  | ITEM value                       { $$ = optvalue(ctx, OPT_ITEM, @$, $2); }
  | GROUP value                      { $$ = optvalue(ctx, OPT_GROUP, @$, $2); }
  | DEDUP value                      { $$ = optvalue(ctx, OPT_DEDUP, @$, $2); }
  | DELAY DURATION                   { $$ = optseconds(ctx, OPT_DELAY, @$, $2); }
  | DELAY PATH                       { $$ = optvalue(ctx, OPT_DELAY, @$, $2); }
  | CONNECTION STRING                { $$ = mkopt(ctx, OPT_CONNECTION, @$); $$->text2 = $2; }
  | ON on_targets                    { $$ = mkopt(ctx, OPT_ON, @$); $$->names = $2.first; }
  | ON NOTHING                       { $$ = mkopt(ctx, OPT_ON, @$); } /* no names */
  | ATTRIBUTES value                 { $$ = optvalue(ctx, OPT_ATTRIBUTES, @$, $2); }
  | CREDENTIALS IDENT                { $$ = mkopt(ctx, OPT_CREDENTIALS, @$); $$->target = mkname(ctx, $2, @2); }
  | CREDENTIALS STRING               { $$ = mkopt(ctx, OPT_CREDENTIALS, @$); $$->text2 = $2; }
  | CREDENTIALS PATH                 { $$ = optvalue(ctx, OPT_CREDENTIALS, @$, $2); }
  | ASSIGN value                     { $$ = optvalue(ctx, OPT_ASSIGN, @$, $2); }
  | ASL value                        { $$ = optvalue(ctx, OPT_ASL, @$, $2); }
  | RESOURCES value                  { $$ = optvalue(ctx, OPT_RESOURCES, @$, $2); }
  | OVER value                       { $$ = optvalue(ctx, OPT_OVER, @$, $2); }
  | AS IDENT                         { $$ = mkopt(ctx, OPT_AS, @$); $$->target = mkname(ctx, $2, @2); }
  | AS ITEM                          { $$ = mkopt(ctx, OPT_AS, @$); $$->target = mkname(ctx, "item", @2); }
  | CONCURRENCY NUMBER               { $$ = optvalue(ctx, OPT_CONCURRENCY, @$, $2); }
  | CONCURRENCY PATH                 { $$ = optvalue(ctx, OPT_CONCURRENCY, @$, $2); }
  | CONCURRENCY JSONATA              { $$ = optvalue(ctx, OPT_CONCURRENCY, @$, $2); }
  | DISTRIBUTED                      { $$ = mkopt(ctx, OPT_DISTRIBUTED, @$); }
  | DISTRIBUTED EXPRESS              { $$ = mkopt(ctx, OPT_DISTRIBUTED, @$); $$->express = true; }
  | DISTRIBUTED STANDARD             { $$ = mkopt(ctx, OPT_DISTRIBUTED, @$); }
  | IDENT                            { $$ = word_option(ctx, $1, @$); }
  | READER value                     { $$ = optvalue(ctx, OPT_READER, @$, $2); }
  | BATCH value                      { $$ = optvalue(ctx, OPT_BATCH, @$, $2); }
  | WRITER value                     { $$ = optvalue(ctx, OPT_WRITER, @$, $2); }
  | TOLERATE NUMBER '%'              { $$ = optvalue(ctx, OPT_TOLERATE_PERCENT, @$, $2); }
  | TOLERATE PATH '%'                { $$ = optvalue(ctx, OPT_TOLERATE_PERCENT, @$, $2); }
  | TOLERATE NUMBER FAILURES         { $$ = optvalue(ctx, OPT_TOLERATE_COUNT, @$, $2); }
  | TOLERATE PATH FAILURES           { $$ = optvalue(ctx, OPT_TOLERATE_COUNT, @$, $2); }
  | TOLERATE JSONATA '%'             { $$ = optvalue(ctx, OPT_TOLERATE_PERCENT, @$, $2); }
  | TOLERATE JSONATA FAILURES        { $$ = optvalue(ctx, OPT_TOLERATE_COUNT, @$, $2); }
  | LABEL STRING                     { $$ = mkopt(ctx, OPT_LABEL, @$); $$->text2 = $2; }
  | END                              { $$ = mkopt(ctx, OPT_END, @$); }
  ;

/* An `into`, an `assign` and an `output` right after a catch belong to it, each
   once and in any order; a second one belongs to the state. */
catch_opts
  : %empty %prec CATCH_DONE          { $$ = NULL; }
  | catch_into %prec CATCH_DONE
                                     { $$ = $1; }
  | catch_assign %prec CATCH_DONE
                                     { $$ = $1; }
  | catch_output %prec CATCH_DONE
                                     { $$ = $1; }
  | catch_into catch_assign %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_into catch_output %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_assign catch_into %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_assign catch_output %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_output catch_into %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_output catch_assign %prec CATCH_DONE
                                     { $$ = merge_catch($1, $2, NULL); }
  | catch_into catch_assign catch_output
                                     { $$ = merge_catch($1, $2, $3); }
  | catch_into catch_output catch_assign
                                     { $$ = merge_catch($1, $2, $3); }
  | catch_assign catch_into catch_output
                                     { $$ = merge_catch($1, $2, $3); }
  | catch_assign catch_output catch_into
                                     { $$ = merge_catch($1, $2, $3); }
  | catch_output catch_into catch_assign
                                     { $$ = merge_catch($1, $2, $3); }
  | catch_output catch_assign catch_into
                                     { $$ = merge_catch($1, $2, $3); }
  ;

catch_into
  : INTO PATH                        { $$ = optvalue(ctx, OPT_CATCH, @$, $2); $$->has_into = true; }
  | INTO NOTHING                     { $$ = optnothing(ctx, OPT_CATCH, @$); $$->has_into = true; }
  ;

catch_assign
  : ASSIGN value                     { $$ = mkopt(ctx, OPT_CATCH, @$); $$->assign = $2; }
  ;

catch_output
  : OUTPUT value                     { $$ = mkopt(ctx, OPT_CATCH, @$); $$->output = $2; }
  ;

emit_entries
  : emit_entry                       { $$ = $1; }
  | emit_entries ',' emit_entry      { $$ = $1; struct emit_entry *e = $1; while (e->next) e = e->next; e->next = $3; }
  ;

emit_entry
  : IDENT %prec ENTRY_DONE           { $$ = MAKE(struct emit_entry); $$->event = mkname(ctx, $1, @1); }
  | IDENT WITH value                 { $$ = MAKE(struct emit_entry); $$->event = mkname(ctx, $1, @1); $$->detail = $3; }
  ;

on_targets
  : on_target                        { $$.first = $$.last = $1; }
  | on_targets ',' on_target         { $$ = $1; $$.last->next = $3; $$.last = $3; }
  ;

on_target
  : IDENT                            { $$ = MAKE(struct name_list); $$->name = mkname(ctx, $1, @1); }
  | STRING                           { $$ = MAKE(struct name_list); $$->name = mkname(ctx, NULL, @1);
                                       $$->quoted = true; $$->string = $1; }
  ;

/* assign, output (JSONata) and comment of a choice rule, in any order, once each */
rule_opts
  : %empty                           { $$ = MAKE(struct rule); }
  | rule_opts ASSIGN value           { $$ = $1; if ($$->assign) diag_error(ctx->diag, LOC(@2), "duplicate 'assign' in this rule");
                                       $$->assign = $3; }
  | rule_opts OUTPUT value           { $$ = $1; if ($$->output) diag_error(ctx->diag, LOC(@2), "duplicate 'output' in this rule");
                                       $$->output = $3; }
  | rule_opts COMMENT STRING         { $$ = $1; if ($$->comment) diag_error(ctx->diag, LOC(@2), "duplicate 'comment' in this rule");
                                       $$->comment = $3; }
  ;

errors
  : error_item                       { $$.first = $$.last = $1; }
  | errors ',' error_item            { $$ = $1; APPEND($$, $3); }
  ;

error_item
  : ANY      { $$ = MAKE(struct error_name); $$->text = "States.ALL"; $$->loc = LOC(@1); }
  | IDENT    { $$ = MAKE(struct error_name); $$->text = $1; $$->loc = LOC(@1); }
  | DOTTED   { $$ = MAKE(struct error_name); $$->text = $1; $$->loc = LOC(@1); }
  | STRING   { $$ = MAKE(struct error_name); $$->text = $1->parts ? NULL : $1->text; $$->loc = LOC(@1);
               if ($1->parts) diag_error(ctx->diag, LOC(@1), "an error name cannot use ${...} interpolation"); }
  ;

retry_fields
  : %empty                           { $$.first = $$.last = NULL; }
  | retry_fields retry_field         { $$ = $1; APPEND($$, $2); }
  ;

retry_field
  : EVERY DURATION   { $$ = MAKE(struct retry_field); $$->kind = RETRY_EVERY; $$->loc = LOC(@$); $$->integer = $2; }
  | ATTEMPTS NUMBER  { $$ = MAKE(struct retry_field); $$->kind = RETRY_ATTEMPTS; $$->loc = LOC(@$);
                       $$->integer = $2->integer; $$->real = $2->kind == V_REAL ? 1 : 0; }
  | BACKOFF NUMBER   { $$ = MAKE(struct retry_field); $$->kind = RETRY_BACKOFF; $$->loc = LOC(@$);
                       $$->real = $2->kind == V_REAL ? $2->real : (double)$2->integer; }
  | MAX DELAY DURATION { $$ = MAKE(struct retry_field); $$->kind = RETRY_MAX_DELAY; $$->loc = LOC(@$);
                         $$->integer = $3; }
  | JITTER           { $$ = MAKE(struct retry_field); $$->kind = RETRY_JITTER; $$->loc = LOC(@$); }
  ;

rules
  : %empty                           { $$.first = $$.last = NULL; }
  | rules rule                       { $$ = $1; APPEND($$, $2); trace_item(ctx, @2.start); }
  | rules error                      { $$ = $1; RECOVERED(@2); if (resumes(yychar, RESUME_RULE)) yyerrok; }
  ;

rule
  : WHEN cond ARROW name rule_opts  { $$ = with_rule_opts(ctx, @$, $2, $5); $$->target = $4; }
  | WHEN cond rule_opts '{' stmts '}'
                                     { $$ = with_rule_opts(ctx, @$, $2, $3); $$->inline_block = true;
                                       $$->body.first = $5.first; }
  | OTHERWISE ARROW name rule_opts   { $$ = with_rule_opts(ctx, @$, NULL, $4); $$->target = $3; }
  | OTHERWISE rule_opts '{' stmts '}'
                                     { $$ = with_rule_opts(ctx, @$, NULL, $2); $$->inline_block = true;
                                       $$->body.first = $4.first; }
  ;

branches
  : %empty                           { $$.first = $$.last = NULL; }
  | branches branch                  { $$ = $1; APPEND($$, $2); trace_item(ctx, @2.start); }
  | branches error                   { $$ = $1; RECOVERED(@2); if (resumes(yychar, RESUME_BRANCH)) yyerrok; }
  ;

branch
  : state                            { $$ = MAKE(struct branch); $$->loc = $1->loc; $$->body.first = $1; }
  | BRANCH '{' stmts '}'             { $$ = MAKE(struct branch); $$->loc = LOC(@1); $$->body.first = $3.first; }
  | BRANCH name '{' stmts '}'        { $$ = MAKE(struct branch); $$->loc = LOC(@2); $$->name = $2.text;
                                       $$->body.first = $4.first; }
  ;

cond
  : cond OR cond                     { $$ = mkbinary(ctx, C_OR, @$, $1, $3); }
  | cond AND cond                    { $$ = mkbinary(ctx, C_AND, @$, $1, $3); }
  | NOT cond                         { $$ = mkbinary(ctx, C_NOT, @$, $2, NULL); }
  | '(' cond ')'                     { $$ = $2; }
  | AND '(' cond_items ')'           { $$ = mkbinary(ctx, C_AND, @$, $3, NULL); $$->grouped = true; }
  | OR '(' cond_items ')'            { $$ = mkbinary(ctx, C_OR, @$, $3, NULL); $$->grouped = true; }
  | JSONATA                          { $$ = mkcond(ctx, C_JSONATA, @$); $$->operand = $1; }
  | TRUE                             { $$ = mkcond(ctx, C_JSONATA, @$); $$->operand = mkvalue(ctx, V_BOOL, @$);
                                       $$->operand->boolean = true; }
  | FALSE                            { $$ = mkcond(ctx, C_JSONATA, @$); $$->operand = mkvalue(ctx, V_BOOL, @$); }
  | test
  ;

/* Right-recursive so the items link in order without a tail pointer. */
cond_items
  : cond_item
  | cond_item ',' cond_items         { $$ = $1; $$->next = $3; }
  ;

cond_item
  : cond
  | cond COMMENT STRING              { $$ = $1; $$->comment = $3; }
  ;

test
  : PATH cmp value                   { $$ = mkcond(ctx, C_COMPARE, @$); $$->path = $1; $$->op = (enum cmp_op)$2;
                                       $$->operand = $3; }
  | PATH cmp cast '(' value ')'      { $$ = mkcond(ctx, C_COMPARE, @$); $$->path = $1; $$->op = (enum cmp_op)$2;
                                       $$->cast = (enum cast_kind)$3; $$->operand = $5; }
  | PATH MATCHES STRING              { $$ = mkcond(ctx, C_MATCHES, @$); $$->path = $1;
                                       $$->operand = mkvalue(ctx, V_STRING, @3); $$->operand->string = $3; }
  | PATH IS type_test                { $$ = mkcond(ctx, C_IS, @$); $$->path = $1; $$->test = (enum type_test)$3; }
  | PATH IS NOT type_test            { $$ = mkcond(ctx, C_IS, @$); $$->path = $1; $$->test = (enum type_test)$4;
                                       $$->negated = true; }
  ;

cmp
  : EQ { $$ = OP_EQ; } | NE { $$ = OP_NE; } | '<' { $$ = OP_LT; } | LE { $$ = OP_LE; }
  | '>' { $$ = OP_GT; } | GE { $$ = OP_GE; }
  ;

cast
  : STRING_KW { $$ = CAST_STRING; } | NUMBER_KW { $$ = CAST_NUMBER; }
  | BOOLEAN { $$ = CAST_BOOLEAN; } | TIMESTAMP { $$ = CAST_TIMESTAMP; }
  ;

type_test
  : PRESENT { $$ = IS_PRESENT; } | NULL { $$ = IS_NULL; } | STRING_KW { $$ = IS_STRING; }
  | NUMBER_KW { $$ = IS_NUMBER; } | BOOLEAN { $$ = IS_BOOLEAN; } | TIMESTAMP { $$ = IS_TIMESTAMP; }
  ;

value
  : NULL                             { $$ = mkvalue(ctx, V_NULL, @$); }
  | TRUE                             { $$ = mkvalue(ctx, V_BOOL, @$); $$->boolean = true; }
  | FALSE                            { $$ = mkvalue(ctx, V_BOOL, @$); }
  | NUMBER                           { $$ = $1; }
  | STRING                           { $$ = mkvalue(ctx, V_STRING, @$); $$->string = $1; }
  | PATH                             { $$ = $1; }
  | JSONATA                          { $$ = $1; }
  | '{' members '}'                  { $$ = mkvalue(ctx, V_OBJECT, @$); $$->members = $2.first; }
  | '[' elems ']'                    { $$ = mkvalue(ctx, V_ARRAY, @$); $$->items = $2.first; }
  | IDENT '(' args ')'               { $$ = mkvalue(ctx, V_CALL, @$); $$->text = $1; $$->items = $3.first; }
  /* two functions share their name with a keyword */
  | ITEM '(' args ')'                { $$ = mkvalue(ctx, V_CALL, @$); $$->text = "item"; $$->items = $3.first; }
  | PARTITION '(' args ')'           { $$ = mkvalue(ctx, V_CALL, @$); $$->text = "partition"; $$->items = $3.first; }
  /* A mistake inside brackets is skipped up to the matching close, so the
     brace that ends an object is not taken for the end of the workflow; what is
     left is an empty object or array, which no check takes for a wrong kind. */
  | '{' error '}'                    { RECOVERED(@$); $$ = mkvalue(ctx, V_OBJECT, @$); }
  | '[' error ']'                    { RECOVERED(@$); $$ = mkvalue(ctx, V_ARRAY, @$); }
  | IDENT '(' error ')'              { RECOVERED(@$); $$ = mkvalue(ctx, V_NULL, @$); }
  | DOTTED '(' args ')'              { $$ = mkvalue(ctx, V_CALL, @$); $$->text = $1; $$->items = $3.first; }
  ;

members
  : %empty                           { $$.first = $$.last = NULL; }
  | member_list
  | member_list ','
  ;

member_list
  : member                           { $$.first = $$.last = $1; }
  | member_list ',' member           { $$ = $1; APPEND($$, $3); }
  ;

member
  : key ':' value                    { $$ = MAKE(struct member); $$->key = $1; $$->key_loc = LOC(@1); $$->value = $3; }
  ;

key
  : IDENT
  | STRING                           { $$ = $1->text;
                                       if ($1->parts) {
                                         diag_error(ctx->diag, LOC(@1), "a key cannot use ${...} interpolation");
                                         $$ = "${...}";
                                       } }
  | keyword
  ;

/* Every keyword is also a plain key inside an object: { type: "x", source: 1 }. */
keyword
  : ACCOUNT { $$ = "account"; } | ACTIVITY { $$ = "activity"; } | AND { $$ = "and"; }
  | ANY { $$ = "any"; } | ATTEMPTS { $$ = "attempts"; } | AWS { $$ = "aws"; }
  | BACKOFF { $$ = "backoff"; } | BOOLEAN { $$ = "boolean"; } | BRANCH { $$ = "branch"; }
  | BUCKET { $$ = "bucket"; } | BUS { $$ = "bus"; } | CATCH { $$ = "catch"; }
  | CAUSE { $$ = "cause"; } | CHOICE { $$ = "choice"; } | COMMENT { $$ = "comment"; }
  | DELAY { $$ = "delay"; } | DESCRIPTION { $$ = "description"; } | DETAIL_TYPE { $$ = "detail-type"; }
  | EMIT { $$ = "emit"; } | END { $$ = "end"; } | ERROR { $$ = "error"; } | EVENT { $$ = "event"; }
  | EVERY { $$ = "every"; } | EXPRESS { $$ = "express"; } | FAIL { $$ = "fail"; }
  | FALSE { $$ = "false"; } | FROM { $$ = "from"; } | HEARTBEAT { $$ = "heartbeat"; }
  | INTO { $$ = "into"; } | INVOKE { $$ = "invoke"; } | IS { $$ = "is"; } | JITTER { $$ = "jitter"; }
  | LAMBDA { $$ = "lambda"; } | MATCHES { $$ = "matches"; } | MAX { $$ = "max"; } | NOT { $$ = "not"; }
  | NOTHING { $$ = "nothing"; } | NULL { $$ = "null"; } | NUMBER_KW { $$ = "number"; } | OR { $$ = "or"; }
  | OTHERWISE { $$ = "otherwise"; } | OUTPUT { $$ = "output"; } | PARALLEL { $$ = "parallel"; }
  | PARAM { $$ = "param"; } | PARTITION { $$ = "partition"; } | PASS { $$ = "pass"; }
  | PRESENT { $$ = "present"; } | PUBLISH { $$ = "publish"; } | QUEUE { $$ = "queue"; }
  | REGION { $$ = "region"; } | RESOURCE { $$ = "resource"; } | RETRY { $$ = "retry"; }
  | ROLE { $$ = "role"; } | SELECT { $$ = "select"; } | SOURCE { $$ = "source"; }
  | STANDARD { $$ = "standard"; } | STATEMACHINE { $$ = "statemachine"; } | STRING_KW { $$ = "string"; }
  | SUBJECT { $$ = "subject"; } | SUCCEED { $$ = "succeed"; } | TABLE { $$ = "table"; }
  | TASK { $$ = "task"; } | TIMEOUT { $$ = "timeout"; } | TIMESTAMP { $$ = "timestamp"; }
  | TOPIC { $$ = "topic"; } | TRUE { $$ = "true"; } | TYPE { $$ = "type"; } | UNTIL { $$ = "until"; }
  | WAIT { $$ = "wait"; } | WHEN { $$ = "when"; } | WITH { $$ = "with"; } | WORKFLOW { $$ = "workflow"; }
  | AS { $$ = "as"; } | ASL { $$ = "asl"; } | ASSIGN { $$ = "assign"; } | ATTRIBUTES { $$ = "attributes"; }
  | BATCH { $$ = "batch"; } | CALL { $$ = "call"; } | CONCURRENCY { $$ = "concurrency"; }
  | CONNECTION { $$ = "connection"; } | CREDENTIALS { $$ = "credentials"; } | DEDUP { $$ = "dedup"; }
  | DELETE { $$ = "delete"; } | DISTRIBUTED { $$ = "distributed"; } | FAILURES { $$ = "failures"; }
  | GET { $$ = "get"; } | GROUP { $$ = "group"; } | HTTP { $$ = "http"; } | ITEM { $$ = "item"; }
  | KEY { $$ = "key"; } | LABEL { $$ = "label"; } | MAP { $$ = "map"; } | ON { $$ = "on"; }
  | OVER { $$ = "over"; } | PUT { $$ = "put"; } | READER { $$ = "reader"; } | RESOURCES { $$ = "resources"; }
  | RUN { $$ = "run"; } | SEND { $$ = "send"; } | START { $$ = "start"; } | SYNC { $$ = "sync"; }
  | TOLERATE { $$ = "tolerate"; } | UPDATE { $$ = "update"; } | VERSION { $$ = "version"; }
  | WRITER { $$ = "writer"; } | QUERY { $$ = "query"; } | JSONATA_KW { $$ = "jsonata"; }
  | JSONPATH_KW { $$ = "jsonpath"; } | TRACING { $$ = "tracing"; } | LOGGING { $$ = "logging"; }
  | OBJECT { $$ = "object"; } | WHERE { $$ = "where"; } | PREFIX { $$ = "prefix"; }
  | SUFFIX { $$ = "suffix"; } | LIKE { $$ = "like"; } | EXISTS { $$ = "exists"; } | CIDR { $$ = "cidr"; }
  | EQUALS { $$ = "equals"; } | IGNORE { $$ = "ignore"; } | CASE { $$ = "case"; } | IN { $$ = "in"; }
  | AGE { $$ = "age"; } | DEAD { $$ = "dead"; } | LETTER { $$ = "letter"; } | DISABLED { $$ = "disabled"; }
  | NAME { $$ = "name"; } | TIMEZONE { $$ = "timezone"; } | WINDOW { $$ = "window"; }
  | ALLOW { $$ = "allow"; } | BY { $$ = "by"; }
  ;

elems
  : %empty                           { $$.first = $$.last = NULL; }
  | value_list
  | value_list ','
  ;

args
  : %empty                           { $$.first = $$.last = NULL; }
  | value_list
  ;

value_list
  : value                            { $$.first = $$.last = $1; }
  | value_list ',' value             { $$ = $1; APPEND($$, $3); }
  ;

%%

/* What the parser says it expected, in words a user knows. The token just read
   decides how a plain "name" is described: after `task` it is a state name. */
static const char *name_after(int token) {
  switch (token) {
  case TOK_TASK: case TOK_PASS: case TOK_WAIT: case TOK_CHOICE: case TOK_PARALLEL:
  case TOK_SUCCEED: case TOK_FAIL: case TOK_ARROW: case TOK_BRANCH: case TOK_MAP:
  case TOK_MOCK: case TOK_EXPECT: case TOK_THROUGH: case TOK_PATH_KW:
    return "a state name";
  case TOK_WORKFLOW: return "a workflow name";
  case TOK_INVOKE: return "a lambda name";
  case TOK_ACTIVITY: return "an activity name";
  case TOK_PUBLISH: return "a topic name";
  case TOK_SEND: return "a queue name";
  case TOK_GET: case TOK_PUT: case TOK_UPDATE: case TOK_DELETE: return "a table name";
  case TOK_START: return "a workflow or statemachine name";
  case TOK_AS: return "a name for the item";
  case TOK_HTTP: return "an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)";
  case TOK_RUN: return "what to run (ecs, glue or batch)";
  case TOK_EMIT: case TOK_EVENT: return "an event name";
  case TOK_PARAM: return "a parameter name";
  case TOK_BUS: return "a bus name";
  case TOK_LAMBDA: case TOK_QUEUE: case TOK_TOPIC: case TOK_TABLE:
  case TOK_BUCKET: case TOK_STATEMACHINE: case TOK_ROLE:
    return "a resource name";
  default: return "a name";
  }
}

static void describe_symbol(struct buf *b, yysymbol_kind_t sym, int prev_token) {
  switch (sym) {
  case YYSYMBOL_IDENT: buf_adds(b, name_after(prev_token)); return;
  case YYSYMBOL_DOTTED: buf_adds(b, "a dotted name"); return;
  case YYSYMBOL_STRING: buf_adds(b, "a string"); return;
  case YYSYMBOL_NUMBER: buf_adds(b, "a number"); return;
  case YYSYMBOL_PATH: buf_adds(b, "a path"); return;
  case YYSYMBOL_DURATION: buf_adds(b, "a duration"); return;
  case YYSYMBOL_PATH_KW: buf_adds(b, "'path'"); return;
  case YYSYMBOL_YYEOF: buf_adds(b, "end of file"); return;
  default: {
    const char *name = yysymbol_name(sym);
    /* character tokens are named with their quotes ('{'), aliases without */
    buf_printf(b, name[0] == '\'' ? "%s" : "'%s'", name);
  }
  }
}

/* Groups of tokens that read better as one phrase in "expected ..." lists; the
   members are token codes, ending with -1. */
static const struct token_group {
  const char *phrase;
  int members[14];
} token_groups[] = {
  {"a value", {TOK_NULL, TOK_TRUE, TOK_FALSE, TOK_NUMBER, TOK_STRING, TOK_PATH, '{', '[',
               TOK_DOTTED, TOK_IDENT, TOK_ITEM, TOK_PARTITION, TOK_JSONATA, -1}},
  {"a comparison (==, !=, <, <=, >, >=)", {TOK_EQ, TOK_NE, TOK_LE, TOK_GE, '<', '>', -1}},
  {"a type (present, null, string, number, boolean, timestamp)", {TOK_PRESENT, TOK_NULL,
               TOK_STRING_KW, TOK_NUMBER_KW, TOK_BOOLEAN, TOK_TIMESTAMP, -1}},
  {"a state (task, pass, wait, choice, parallel, map, succeed, fail, emit)", {TOK_TASK, TOK_PASS,
               TOK_WAIT, TOK_CHOICE, TOK_PARALLEL, TOK_MAP, TOK_SUCCEED, TOK_FAIL, TOK_EMIT, -1}},
  {"an option", {TOK_FROM, TOK_WITH, TOK_SELECT, TOK_INTO, TOK_OUTPUT, TOK_RETRY, TOK_CATCH,
               TOK_ARROW, TOK_END, -1}},
  {"a condition (a path, {% %}, true, false, not, and (...), or (...), or one in parentheses)",
               {TOK_PATH, TOK_JSONATA, TOK_TRUE, TOK_FALSE, TOK_NOT, TOK_AND, TOK_OR, '(', -1}},
};

static bool has_symbol(const yysymbol_kind_t *list, int n, yysymbol_kind_t sym) {
  for (int i = 0; i < n; i++)
    if (list[i] == sym) return true;
  return false;
}

/* Writes the expected tokens as a list of phrases, replacing a whole group that is
   present by its phrase; returns false when the list would be too long to help. */
static bool describe_expected(struct buf *b, const yysymbol_kind_t *expected, int n, int prev_token) {
  enum { MAX_PHRASES = 7 };
  const char *phrases[MAX_PHRASES];
  struct buf words[MAX_PHRASES];
  int nphrases = 0;
  bool used[128] = {false};
  for (size_t g = 0; g < sizeof token_groups / sizeof *token_groups; g++) {
    const struct token_group *group = &token_groups[g];
    bool all = true;
    for (int i = 0; group->members[i] != -1 && all; i++)
      all = has_symbol(expected, n, YYTRANSLATE(group->members[i]));
    if (!all) continue;
    for (int i = 0; group->members[i] != -1; i++)
      for (int j = 0; j < n; j++)
        if (expected[j] == YYTRANSLATE(group->members[i]) && j < 128) used[j] = true;
    if (nphrases == MAX_PHRASES) return false;
    phrases[nphrases++] = group->phrase;
  }
  /* a state or workflow name may be quoted: "a string" says nothing more */
  const char *named = name_after(prev_token);
  bool quotable = !strcmp(named, "a state name") || !strcmp(named, "a workflow name");
  int nwords = 0;
  for (int j = 0; j < n; j++) {
    if (j < 128 && used[j]) continue;
    if (quotable && expected[j] == YYSYMBOL_STRING && has_symbol(expected, n, YYSYMBOL_IDENT)) continue;
    if (nphrases + nwords == MAX_PHRASES) {
      for (int i = 0; i < nwords; i++) buf_free(&words[i]);
      return false;
    }
    words[nwords] = (struct buf){0};
    describe_symbol(&words[nwords], expected[j], prev_token);
    nwords++;
  }
  int total = nphrases + nwords;
  for (int i = 0; i < total; i++) {
    if (i) buf_adds(b, i == total - 1 ? " or " : ", ");
    buf_adds(b, i < nwords ? words[i].data : phrases[i - nwords]);
  }
  for (int i = 0; i < nwords; i++) buf_free(&words[i]);
  return total > 0;
}

static bool is_keyword_symbol(yysymbol_kind_t sym) {
  return (sym >= YYSYMBOL_ACCOUNT && sym <= YYSYMBOL_WINDOW) || sym == YYSYMBOL_ALLOW || sym == YYSYMBOL_BY ||
         sym == YYSYMBOL_WAIT_FOR_CALLBACK;
}

/* The token that was found, with its text when that helps. */
static void describe_found(struct buf *b, yysymbol_kind_t sym, struct parse_ctx *ctx, SFC_YYLTYPE l) {
  const struct source *src = &ctx->diag->files[ctx->file];
  int n = l.end - l.start;
  const char *text = src->text + l.start;
  switch (sym) {
  case YYSYMBOL_IDENT: buf_printf(b, "name '%.*s'", n, text); return;
  case YYSYMBOL_DOTTED: buf_printf(b, "'%.*s'", n, text); return;
  case YYSYMBOL_NUMBER: case YYSYMBOL_DURATION: buf_printf(b, "'%.*s'", n, text); return;
  case YYSYMBOL_PATH: buf_printf(b, "path '%.*s'", n > 40 ? 40 : n, text); return;
  default: describe_symbol(b, sym, 0);
  }
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, struct parse_ctx *ctx) {
  struct lexstate *ls = sfc_yyget_extra(scanner);
  enum { MAX_EXPECTED = 120 };
  yysymbol_kind_t expected[MAX_EXPECTED];
  int n = yypcontext_expected_tokens(yyctx, expected, MAX_EXPECTED);
  if (n < 0) return n;
  yysymbol_kind_t found = yypcontext_token(yyctx);
  const SFC_YYLTYPE *at = yypcontext_location(yyctx);
  if (found == YYSYMBOL_YYEOF && ls->eof_reported) return 0; /* the scanner said why */

  struct buf msg = {0};
  struct buf list = {0};
  if (found == YYSYMBOL_BAD) {
    ctx->bad_reported = at->start + 1;
    buf_adds(&msg, "unexpected ");
    describe_bad(&msg, ctx, *at);
    if (n > 0 && describe_expected(&list, expected, n, ls->prev_token))
      buf_printf(&msg, ": expected %s", list.data);
  } else if (found == YYSYMBOL_YYEOF && ls->brace_depth > 0) {
    int depth = ls->brace_depth < 64 ? ls->brace_depth : 64;
    int line, col;
    diag_line_col(ctx->diag, ctx->file, ls->open_braces[depth - 1], &line, &col);
    buf_printf(&msg, "expected '}' to close the '{' on line %d, found end of file", line);
  } else if (n > 0 && describe_expected(&list, expected, n, ls->prev_token)) {
    buf_printf(&msg, "expected %s, found ", list.data);
    describe_found(&msg, found, ctx, *at);
  } else {
    buf_adds(&msg, "unexpected ");
    describe_found(&msg, found, ctx, *at);
  }
  buf_free(&list);
  if (found != YYSYMBOL_YYEOF && ls->prev_token > 0 && ls->prev_loc.end > ls->prev_loc.start) {
    const char *text = ctx->diag->files[ctx->file].text + ls->prev_loc.start;
    int len = ls->prev_loc.end - ls->prev_loc.start;
    if (len <= 30 && !memchr(text, '\n', (size_t)len))
      buf_printf(&msg, " after '%.*s'", len, text);
  }
  /* `pass timeout`: a keyword where a state name may stand, quoted or not. Not for
     keywords that start a statement or name a task kind: there a name is missing. */
  static const int starts[] = {TOK_TASK, TOK_PASS, TOK_WAIT, TOK_CHOICE, TOK_PARALLEL, TOK_SUCCEED,
                               TOK_FAIL, TOK_EMIT, TOK_INVOKE, TOK_ACTIVITY, TOK_PUBLISH,
                               TOK_RESOURCE, TOK_WORKFLOW, TOK_MAP, TOK_SEND, TOK_GET, TOK_PUT,
                               TOK_UPDATE, TOK_DELETE, TOK_START, TOK_CALL, TOK_HTTP, TOK_RUN};
  bool starts_something = false;
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    starts_something |= found == YYTRANSLATE(starts[i]);
  if (is_keyword_symbol(found) && !starts_something && has_symbol(expected, n, YYSYMBOL_IDENT) &&
      has_symbol(expected, n, YYSYMBOL_STRING))
    buf_printf(&msg, " ('%s' is a keyword; write \"%s\" to use it as a name)", yysymbol_name(found),
               yysymbol_name(found));
  if (found == YYSYMBOL_TEST && ls->brace_depth > 0)
    buf_adds(&msg, ": a test block goes at the top level of a file, outside any workflow or test");
  SFC_YYLTYPE where = *at;
  if (found == YYSYMBOL_YYEOF) where.start = where.end = ctx->diag->files[ctx->file].len > 0 ?
                                   (int)ctx->diag->files[ctx->file].len - 1 : 0;
  ctx->diag->syntax_errors++;
  diag_error(ctx->diag, L(ctx, where), "%s", msg.data);
  buf_free(&msg);
  return 0;
}

/* A bad token as the user wrote it: characters that start no token, or a byte. */
static void describe_bad(struct buf *b, struct parse_ctx *ctx, SFC_YYLTYPE l) {
  const char *text = ctx->diag->files[ctx->file].text + l.start;
  int n = l.end - l.start;
  unsigned char c = (unsigned char)text[0];
  if (c >= 0x80) buf_printf(b, "character '%.*s' (outside a string)", n, text);
  else if (c == '\'') buf_adds(b, "character ''' (strings take double quotes: \"text\")");
  else if (c < 0x21 || c == 0x7f) buf_printf(b, "byte 0x%02x", c);
  else buf_printf(b, "character%s '%.*s'", n > 1 ? "s" : "", n, text);
}

/* Bison calls this only when its stack is full ("memory exhausted"). */
static void sfc_yyerror(SFC_YYLTYPE *l, yyscan_t scanner, struct parse_ctx *ctx, const char *msg) {
  (void)scanner;
  ctx->diag->syntax_errors++;
  if (strcmp(msg, "memory exhausted") != 0) diag_error(ctx->diag, L(ctx, *l), "%s", msg);
  /* YYMAXDEPTH counts parser stack entries, not levels: a bracket takes one, a
     block or condition several; the message says so rather than "N levels". */
  else diag_error(ctx->diag, L(ctx, *l), "nesting is too deep here: sfc's parser holds %d "
                  "open entries; a nested bracket takes one, a nested block or condition "
                  "several", YYMAXDEPTH);
}

/* A declaration starts with one of these, outside braces or at the start of a line
   (a missing '}' leaves the braces open). */
static bool starts_decl(int token) {
  return resumes(token, RESUME_DECL) && token != TOK_YYEOF;
}

static bool first_on_line(const struct lexstate *ls, int offset) {
  const char *text = ls->ctx->diag->files[ls->ctx->file].text;
  while (offset > 0 && (text[offset - 1] == ' ' || text[offset - 1] == '\t')) offset--;
  return offset == 0 || text[offset - 1] == '\n' || text[offset - 1] == '\r';
}

/* A keyword where only a name can stand: after the kind of a state (`pass timeout`),
   after `->`, `branch`, and after `run` (what to run: the checker knows the kinds).
   One error, and the keyword reads as the name it was meant to be. Not for keywords
   that start a state or name a task kind: there the name is missing. */
static int keyword_as_name(struct lexstate *ls, int token, SFC_YYSTYPE *lval, SFC_YYLTYPE l) {
  static const int before_name[] = {TOK_TASK, TOK_PASS, TOK_WAIT, TOK_CHOICE, TOK_PARALLEL,
                                    TOK_SUCCEED, TOK_FAIL, TOK_MAP, TOK_ARROW, TOK_BRANCH};
  static const int starts[] = {TOK_TASK, TOK_PASS, TOK_WAIT, TOK_CHOICE, TOK_PARALLEL, TOK_SUCCEED,
                               TOK_FAIL, TOK_EMIT, TOK_INVOKE, TOK_ACTIVITY, TOK_PUBLISH,
                               TOK_RESOURCE, TOK_WORKFLOW, TOK_MAP, TOK_SEND, TOK_GET, TOK_PUT,
                               TOK_UPDATE, TOK_DELETE, TOK_START, TOK_CALL, TOK_HTTP, TOK_RUN,
                               TOK_WAIT_FOR_CALLBACK, TOK_END, TOK_BRANCH};
  if (!is_keyword_symbol(YYTRANSLATE(token))) return token;
  struct parse_ctx *ctx = ls->ctx;
  const char *text = ctx->diag->files[ctx->file].text + l.start;
  int len = l.end - l.start;
  if (ls->this_token == TOK_RUN) {
    if (token == TOK_BATCH) return token;
    lval->TOK_IDENT = arena_strndup(ctx->arena, text, (size_t)len);
    return TOK_IDENT;
  }
  bool after_kind = false;
  for (size_t i = 0; i < sizeof before_name / sizeof *before_name; i++)
    after_kind |= ls->this_token == before_name[i];
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    if (token == starts[i]) return token;
  if (!after_kind) return token;
  const char *prev = ctx->diag->files[ctx->file].text + ls->this_loc.start;
  int prev_len = ls->this_loc.end - ls->this_loc.start;
  ctx->diag->syntax_errors++;
  diag_error(ctx->diag, L(ctx, l), "'%.*s' is a keyword; quote it to use it as a state name: %.*s \"%.*s\"",
             len, text, prev_len, prev, len, text);
  struct str *s = MAKE(struct str);
  s->loc = L(ctx, l);
  s->text = arena_strndup(ctx->arena, text, (size_t)len);
  s->len = (size_t)len;
  lval->TOK_STRING = s;
  return TOK_STRING;
}

/* The words of a test block, keywords only directly inside one. */
static const struct { const char *word; int token; } test_words[] = {
    {"mock", TOK_MOCK}, {"expect", TOK_EXPECT}, {"input", TOK_INPUT}, {"returns", TOK_RETURNS},
    {"throws", TOK_THROWS}, {"times", TOK_TIMES}, {"time", TOK_TIMES}, /* 1 time */
    {"then", TOK_THEN}, {"path", TOK_PATH_KW},
    {"passes", TOK_PASSES}, {"through", TOK_THROUGH}, {"called", TOK_CALLED}, {"started", TOK_STARTED}};

/* Inside a test block a name after `mock`, `->`, `through`, `path` or `workflow` is a
   state's (or a resource's), whatever it is called, and after `expect` only `path` and
   `passes` are keywords; anywhere else directly inside the block a test word is one. */
static int test_word(const struct lexstate *ls, int token, const char *text) {
  if (token != TOK_IDENT || !ls->test_depth || ls->brace_depth != ls->test_depth) return token;
  switch (ls->this_token) {
  case TOK_EXPECT: /* expect path ..., expect passes through ..., or a state's name */
    return !strcmp(text, "path") ? TOK_PATH_KW : !strcmp(text, "passes") ? TOK_PASSES : token;
  case TOK_MOCK: case TOK_ARROW: case TOK_THROUGH: case TOK_PATH_KW: case TOK_WORKFLOW:
  case TOK_LAMBDA: case TOK_ACTIVITY: case TOK_QUEUE: case TOK_TOPIC: case TOK_TABLE:
  case TOK_BUS: case TOK_BUCKET: case TOK_STATEMACHINE: case TOK_ROLE: case TOK_EVENT:
    return token;
  default: break;
  }
  for (size_t i = 0; i < sizeof test_words / sizeof *test_words; i++)
    if (!strcmp(text, test_words[i].word)) return test_words[i].token;
  return token;
}

/* Follows `test "name" {` ... `}`: where the test words are keywords. A test inside a
   test (an error the parser reads past) is one level deeper; the outer one resumes. */
static void track_test(struct lexstate *ls, int token) {
  if (token == TOK_TEST) ls->test_head = 1;
  else if (ls->test_head == 1 && token == TOK_STRING) ls->test_head = 2;
  else if (ls->test_head == 2 && token == '{') {
    ls->test_head = 0;
    ls->test_outer = ls->test_depth;
    ls->test_depth = ls->brace_depth;
  } else {
    ls->test_head = 0;
  }
  if (ls->brace_depth < ls->test_depth) {
    ls->test_depth = ls->test_outer <= ls->brace_depth ? ls->test_outer : 0;
    ls->test_outer = 0;
  }
}

/* The scanner's raw function is lex_token; this wrapper remembers the last two
   tokens for the "after 'X'" part of syntax errors, and stops at the error cap. */
int lex_token(SFC_YYSTYPE *lval, SFC_YYLTYPE *lloc, yyscan_t scanner);
int sfc_yylex(SFC_YYSTYPE *lval, SFC_YYLTYPE *lloc, yyscan_t scanner) {
  struct lexstate *ls = sfc_yyget_extra(scanner);
  if (ls->ctx->diag->stopped) {
    *lloc = (SFC_YYLTYPE){ls->offset, ls->offset};
    return TOK_YYEOF;
  }
  int token = lex_token(lval, lloc, scanner);
  token = keyword_as_name(ls, token, lval, *lloc);
  token = test_word(ls, token, token == TOK_IDENT ? lval->TOK_IDENT : NULL);
  /* `workflow W` inside a test starts no declaration */
  if (starts_decl(token) && (ls->brace_depth == 0 || (first_on_line(ls, lloc->start) &&
                                                       ls->brace_depth != ls->test_depth))) {
    if (ls->ndecl_starts == ls->decl_starts_cap) {
      ls->decl_starts_cap = ls->decl_starts_cap ? 2 * ls->decl_starts_cap : 16;
      ls->decl_starts = xrealloc(ls->decl_starts, (size_t)ls->decl_starts_cap * sizeof *ls->decl_starts);
    }
    ls->decl_starts[ls->ndecl_starts++] = lloc->start;
  }
  if (token == '{') {
    if (ls->brace_depth < 64) ls->open_braces[ls->brace_depth] = lloc->start;
    ls->brace_depth++;
  } else if (token == '}' && ls->brace_depth > 0) {
    ls->brace_depth--;
  }
  track_test(ls, token);
  trace_token(ls->ctx, token, lloc->start, lloc->end);
  ls->prev_token = ls->this_token;
  ls->prev_loc = ls->this_loc;
  ls->this_token = token;
  ls->this_loc = *lloc;
  return token;
}
