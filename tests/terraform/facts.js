#!/usr/bin/env node
// facts.js: known facts about the AWS provider schema that schema.js must
// rebuild from @cdktf/provider-aws (checked against the provider's docs for
// the resources sfc writes), and, given the `hclcheck -json` output of
// fixtures/good, facts about that structure. Run by selftest.sh.
//
//   node facts.js [GOOD.json]
//
// Prints "ok FACT" or "FAIL FACT: WHY" per fact; exits 1 if any failed.
'use strict';

const fs = require('fs');
const { loadSchema } = require('./schema.js');

// [kind, type, path to a node ('' = the type; 'a.b' = block a, then block b), fact]
// facts: 'required:NAME' 'optional:NAME' 'computed:NAME' (computed-only)
//        'optional+computed:NAME' 'block:NAME' 'required-block:NAME' 'single:NAME' 'repeatable:NAME'
const FACTS = [
    ['resource', 'aws_sfn_state_machine', '', ['required:definition', 'required:role_arn', 'optional:name',
        'optional+computed:name', 'optional:publish', 'computed:arn', 'computed:creation_date', 'computed:status',
        'single:logging_configuration', 'single:tracing_configuration', 'single:encryption_configuration']],
    ['resource', 'aws_sfn_state_machine', 'logging_configuration', ['optional:log_destination', 'optional:level',
        'optional:include_execution_data']],
    ['resource', 'aws_iam_role', '', ['required:assume_role_policy', 'optional:name', 'optional:path',
        'optional+computed:managed_policy_arns', 'computed:arn', 'computed:unique_id', 'repeatable:inline_policy']],
    ['resource', 'aws_iam_role_policy', '', ['required:policy', 'required:role', 'optional:name']],
    ['resource', 'aws_cloudwatch_event_rule', '', ['optional:event_pattern', 'optional:schedule_expression',
        'optional:event_bus_name', 'optional:state', 'computed:arn']],
    ['resource', 'aws_cloudwatch_event_target', '', ['required:rule', 'required:arn', 'optional:role_arn',
        'optional+computed:target_id', 'single:input_transformer', 'single:retry_policy', 'single:dead_letter_config',
        'repeatable:run_command_targets']],
    ['resource', 'aws_cloudwatch_event_target', 'input_transformer', ['required:input_template', 'optional:input_paths']],
    ['resource', 'aws_cloudwatch_event_target', 'retry_policy', ['optional:maximum_event_age_in_seconds',
        'optional:maximum_retry_attempts']],
    ['resource', 'aws_cloudwatch_event_target', 'dead_letter_config', ['optional:arn']],
    ['resource', 'aws_scheduler_schedule', '', ['required:schedule_expression', 'optional:schedule_expression_timezone',
        'optional+computed:group_name', 'computed:arn', 'required-block:flexible_time_window', 'required-block:target',
        'single:flexible_time_window', 'single:target']],
    ['resource', 'aws_scheduler_schedule', 'flexible_time_window', ['required:mode', 'optional:maximum_window_in_minutes']],
    ['resource', 'aws_scheduler_schedule', 'target', ['required:arn', 'required:role_arn', 'optional:input',
        'single:retry_policy', 'single:dead_letter_config']],
    ['resource', 'aws_scheduler_schedule', 'target.dead_letter_config', ['required:arn']],
    ['resource', 'aws_cloudwatch_log_group', '', ['optional:name', 'optional:retention_in_days', 'optional:kms_key_id',
        'computed:arn']],
    ['resource', 'aws_s3_bucket_notification', '', ['required:bucket', 'optional:eventbridge', 'repeatable:queue',
        'repeatable:lambda_function', 'repeatable:topic']],
    ['resource', 'aws_s3_bucket_notification', 'queue', ['required:queue_arn', 'required:events',
        'optional:filter_prefix']],
    ['resource', 'aws_sqs_queue_policy', '', ['required:queue_url', 'required:policy']],
    ['resource', 'aws_sqs_queue', '', ['optional:name', 'computed:arn', 'computed:url']],
    ['data', 'aws_caller_identity', '', ['computed:account_id', 'computed:arn', 'computed:user_id']],
    ['data', 'aws_region', '', ['optional+computed:region', 'optional+computed:endpoint', 'computed:description']],
    ['data', 'aws_partition', '', ['computed:partition', 'computed:dns_suffix']],
    ['data', 'aws_iam_policy_document', '', ['computed:json', 'optional:version', 'repeatable:statement']],
    ['data', 'aws_iam_policy_document', 'statement', ['optional:actions', 'optional:resources', 'repeatable:principals',
        'repeatable:condition']],
    ['data', 'aws_iam_policy_document', 'statement.principals', ['required:type', 'required:identifiers']],
];

let passed = 0;
let failed = 0;
function result(ok, what, why) {
    if (ok) {
        passed++;
        console.log(`ok ${what}`);
    } else {
        failed++;
        console.log(`FAIL ${what}: ${why}`);
    }
}

for (const [kind, type, where, facts] of FACTS) {
    const name = `${kind === 'data' ? 'data.' : ''}${type}${where ? '.' + where : ''}`;
    let node = loadSchema(kind, type);
    for (const b of where ? where.split('.') : []) node = node && node.blocks[b];
    if (!node) {
        result(false, name, 'not found');
        continue;
    }
    for (const fact of facts) {
        const [what, attr] = fact.split(':');
        const arg = node.arguments[attr];
        const block = node.blocks[attr];
        const holds = {
            required: arg && arg.required,
            optional: arg && !arg.required,
            'optional+computed': arg && !arg.required && arg.computed,
            computed: !arg && !block && node.computed.includes(attr),
            block: Boolean(block),
            'required-block': block && block.required,
            single: block && block.maxItems === 1,
            repeatable: block && block.maxItems === null,
        }[what];
        result(Boolean(holds), `${name}: ${fact}`, JSON.stringify(arg || block || null));
    }
}

// The structure hclcheck -json prints for fixtures/good.
if (process.argv[2]) {
    const m = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
    const find = (list, type, name) => list.find((r) => r.type === type && r.name === name);
    const sfn = find(m.resources, 'aws_sfn_state_machine', 'main');
    result(sfn && sfn.meta.includes('depends_on') && !sfn.attributes.includes('depends_on'),
        'json: depends_on is a meta-argument, not an attribute', JSON.stringify(sfn && sfn.meta));
    result(sfn && sfn.blocks.some((b) => b.type === 'logging_configuration' && b.attributes.includes('log_destination')),
        'json: nested block logging_configuration with its attributes', JSON.stringify(sfn && sfn.blocks));
    const bucket = find(m.resources, 'aws_s3_bucket', 'uploads');
    result(bucket && bucket.meta.includes('lifecycle') && !bucket.blocks.some((b) => b.type === 'lifecycle'),
        'json: lifecycle is a meta-argument, not a block', JSON.stringify(bucket));
    const dlq = find(m.data, 'aws_iam_policy_document', 'dlq');
    const st = dlq && dlq.blocks.find((b) => b.type === 'statement');
    result(st && st.dynamic && st.attributes.includes('sid') && st.blocks.some((b) => b.type === 'principals'),
        'json: dynamic "statement" stands for statement blocks with its content', JSON.stringify(st));
    result(m.variables.includes('name_prefix') && m.locals.includes('machine_name') && m.outputs.includes('partition'),
        'json: variables, locals and outputs', JSON.stringify([m.variables, m.locals, m.outputs]));
    result(m.references.some((r) => r.ref === 'aws_sqs_queue.dlq' && r.attribute === 'url'),
        'json: references record the attribute read', JSON.stringify(m.references.slice(0, 3)));
}

console.log(`facts: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
