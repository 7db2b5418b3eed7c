/* model.h: what gets deployed, as the backends read it.
 *
 * lower.c builds the model once from the checked tree; printers (emit_*.c) and,
 * later, the runtime read it. A definition is located JSON (struct jnode, json.c):
 * every node knows the .sf span it was made from, so the ASL checker that judges
 * hand-written files judges what sfc will deploy too, and points at the source.
 * Everything lives in the compilation's arena.
 */
#ifndef SFC_MODEL_H
#define SFC_MODEL_H

/* One EventBridge rule (PutRule + PutTargets) or one EventBridge Scheduler schedule
   (CreateSchedule), each with the one target that starts its workflow. Every string
   is final: the printer (emit_rules.c) copies them into the requests. */
enum model_trigger_kind { MODEL_RULE, MODEL_SCHEDULE };

struct model_input_var {         /* one InputPathsMap entry: <name> reads path */
  const char *name, *path;
};

struct model_trigger {
  enum model_trigger_kind kind;
  const char *name;              /* the rule or schedule name */
  struct loc loc;                /* the trigger (`on ...`) in the source */
  const char *file;              /* <name>.rule.json or <name>.schedule.json */
  const char *targets_file;      /* rules: <name>.targets.json */
  bool enabled;                  /* State ENABLED, or DISABLED */
  const char *description;       /* or NULL */
  /* rules */
  const char *bus;               /* EventBusName: a name or an ARN */
  struct jnode *pattern;         /* EventPattern, sent as compact JSON text */
  const char *target_id;         /* the target's Id */
  /* schedules */
  const char *expression;        /* ScheduleExpression */
  const char *timezone;          /* ScheduleExpressionTimezone, or NULL */
  long long window_minutes;      /* FlexibleTimeWindow FLEXIBLE; 0: OFF */
  /* the target: at most one of input_path, input, input_template */
  const char *target_arn;        /* the state machine */
  const char *role_arn;          /* the role EventBridge or Scheduler assumes */
  const char *input_path;        /* InputPath */
  const char *input;             /* Input: constant JSON, as text */
  struct model_input_var *input_vars; /* InputTransformer.InputPathsMap */
  int ninput_vars;
  const char *input_template;    /* InputTransformer.InputTemplate */
  bool has_retry;                /* RetryPolicy */
  long long retry_attempts;      /* MaximumRetryAttempts; -1: not set */
  long long retry_max_age;       /* MaximumEventAgeInSeconds; -1: not set */
  const char *dead_letter_arn;   /* DeadLetterConfig.Arn, or NULL */
};

/* An ARN in its parts, so a backend can render each part its own way (the Terraform
   module refers to the account and region instead of writing them). Placeholders
   (${account}, ${region}) stay as text. */
struct arn {
  const char *partition, *service, *region, *account;
  const char *resource;          /* everything after the fifth ':' */
};

struct model_workflow {
  const char *name;              /* the state machine's name, as declared */
  struct loc loc;                /* the name in the source */
  const char *arn;               /* the state machine's ARN */
  struct arn arn_parts;
  const char *definition_file;   /* <name>.asl.json */
  struct jnode *definition;      /* the ASL document */
  /* Settings recorded for deployment (not part of ASL). */
  bool express;
  bool tracing;
  const char *log_level;         /* ALL, ERROR, FATAL, OFF, or NULL: not set */
  bool log_include_data;
  struct iam_policy *iam;        /* its grants and roles (iam.c) */
  struct model_trigger *triggers; /* in source order */
  int ntriggers;
  /* IAM is still derived from the tree by iam.c; this is its way to it until it
     reads the model. */
  struct workflow *tree;
};

/* Where something is used: a state of a workflow, or a trigger of one. */
struct model_use {
  const char *workflow;
  const char *by;                /* the state's name, or the trigger's rule or schedule */
  struct loc loc;
};

/* A declared resource, as it will be referred to. */
struct model_resource {
  enum resource_kind kind;
  const char *name;              /* as declared in .sf */
  struct loc loc;
  const char *value;             /* its AWS name or ARN, after -D */
  const char *arn;
  struct arn arn_parts;
  bool eventbridge_notifications; /* a bucket some trigger reads: S3 must send to EventBridge */
  const char *url;               /* a queue's URL (QueueUrl); NULL for other kinds */
  enum config_owner owner;       /* a bucket's notifications, a queue's policy: who sets them */
};

/* A declared event: who sends it and who reacts to it. */
struct model_event {
  const char *name;
  struct loc loc;
  const char *source, *detail_type;
  const char *bus;               /* the bus as declared; NULL: the default bus */
  struct model_use *emitters;    /* emit states */
  int nemitters;
  struct model_use *consumers;   /* `on event` triggers */
  int nconsumers;
};

/* A param: what the Terraform module makes a variable. */
struct model_param {
  const char *name;
  struct loc loc;
  const char *type;              /* "string", "number" or "bool" */
  const char *value;             /* its value in this compile (-D or default), as text */
  const char *description;       /* the comment above it, or after it on its line; or NULL */
};

/* One way a workflow can start another through EventBridge (links.c): an event it
   sends, or a status change of its executions, that a rule's pattern can match. */
struct model_link {
  const char *from_workflow;
  const char *from_state;        /* the emitting state; NULL: a status change */
  const char *source, *detail_type; /* the event's ("?": known only at run time) */
  const char *status;            /* a status change: SUCCEEDED, FAILED, TIMED_OUT, ABORTED */
  const char *to_workflow;       /* NULL: nothing in the program reacts to the event */
  const char *trigger;           /* the rule that matches */
  bool certain;                  /* the pattern matches whatever the event's run-time values */
  bool unconsumed;               /* an emitted event no rule of the program can match */
};

/* A test block as `sfc test` runs it (sftest.c builds it from the checked tree). Each
   value is located JSON, so a failure points at what the test wrote. */
struct model_answer {
  struct jnode *returns;         /* the task's result; NULL: it throws */
  const char *error, *cause;     /* what it throws (cause may be NULL) */
  long long calls;               /* how many calls it answers; the last answers every later one */
};
struct model_mock {
  struct loc loc;                /* the mock in the source */
  struct model_answer *answers;  /* in the order they answer calls */
  int nanswers;
};
struct model_expect {
  enum expect_kind kind;
  struct loc loc;                /* the expectation in the source */
  struct jnode *value;           /* output, input, called with */
  const char *error, *cause;     /* EXPECT_ERROR (cause may be NULL) */
  const char *state;             /* passes, input, called; the workflow of STARTED, ENDED */
  const char *status;            /* EXPECT_ENDED: "succeeded" or "failed" */
  const char **path;             /* EXPECT_PATH: the top-level states, in order */
  int npath;
  long long times;               /* EXPECT_TIMES, EXPECT_STARTED (-1: at least once) */
};
struct model_test {
  const char *name;
  struct loc loc;                /* `test "name"` */
  int workflow;                  /* index into model.workflows; -1: a simulation */
  struct jnode **events;         /* a simulation's events ... */
  const char **event_buses;      /* ... and the bus each goes on (a name or an ARN) */
  int nevents;
  struct jnode *input;
  struct model_mock *mocks;
  int nmocks;
  const char **mocked;           /* each task state that has a mock ... */
  int *mocked_in;                /* ... the workflow it is in ... */
  int *mock_of;                  /* ... and the index of its mock */
  int nmocked;
  struct model_expect *expects;
  int nexpects;
};

struct model {
  struct model_param *params;    /* those with a value, in declaration order */
  int nparams;
  struct model_workflow *workflows;
  int nworkflows;
  struct model_resource *resources;
  int nresources;
  struct model_event *events;
  int nevents;
  struct iam_queue_policy *queue_policies; /* dead-letter queues' policies (iam.c) */
  struct model_link *links;      /* links.c: sends and status changes -> rules, in order */
  int nlinks;
  struct model_test *tests;      /* sftest.c: the test blocks, in source order */
  int ntests;
};

#endif
