#!/usr/bin/env node
// tools/tf-rules.mjs - the deployment's rules that no schema check sees,
// checked over the parsed Terraform (tools/tf-check.mjs, npm's
// @cdktf/hcl2json) and the files the deployment is made of: each is a way
// the first real day on AWS would have gone wrong (issue 18).
//
//   node tools/tf-rules.mjs SRCDIR        TAP, one test per rule
//   node tools/tf-rules.mjs --failing SRCDIR...
//       for each tree "=== SRCDIR" and then the names of the rules that
//       fail (t/deploy/terraform-rules.sh's mutation tests)
//
// SRCDIR is a checkout (or a copy of the files below): terraform/,
// docker/Dockerfile, docker/appspec.yaml.  Every rule names what it
// checks; docs/operations.md and terraform/README.md say why.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAll, instanceAt, valueAt, stringsIn, tap, show } from './tf-check.mjs';

const ROOTS = ['environments/production', 'environments/staging'];

// ---- Helpers -------------------------------------------------------------------------

function fail(msg) {
    const e = new Error(msg);
    e.rule = true;
    throw e;
}

function need(cond, msg) {
    if (!cond) fail(msg);
}

// The module instance root -> stack -> NAME, and a resource body in it.
function inst(ctx, root, name) {
    return instanceAt(ctx.modules, ctx.tf, root, name ? ['stack', name] : ['stack']);
}

function resourceIn(i, type, name) {
    const r = i.mod.resource[`${type}.${name}`];
    need(r, `no resource ${type}.${name} in ${i.mod.dir}`);
    return r.body;
}

function dataIn(i, type, name) {
    const r = i.mod.data[`${type}.${name}`];
    need(r, `no data ${type}.${name} in ${i.mod.dir}`);
    return r.body;
}

function resourcesOf(i, type) {
    return Object.values(i.mod.resource).filter((r) => r.type === type);
}

// The expression a module variable is given by the calling module
// (one level up), as written: "${module.load_balancer.https_listener_arn}".
function argOf(i, variable) {
    need(i.callBody && variable in i.callBody, `the call of ${i.mod.dir} does not set ${variable}`);
    return i.callBody[variable];
}

// "${var.NAME}" -> NAME, else null.
function varName(expr) {
    const m = typeof expr === 'string' && /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(expr);
    return m ? m[1] : null;
}

// Every action string and resource list of the statements of every
// aws_iam_policy_document of every module, with where they are.
function* statements(ctx) {
    for (const mod of ctx.modules.values()) {
        for (const d of Object.values(mod.data)) {
            if (d.type !== 'aws_iam_policy_document') continue;
            for (const st of d.body.statement || []) {
                yield { where: `${mod.dir.slice(ctx.tf.length + 1)}: data.${d.type}.${d.name}`, st };
            }
        }
    }
}

function dockerfile(ctx) {
    return readFileSync(join(ctx.src, 'docker/Dockerfile'), 'utf8');
}

// "1.10.0" >= "1.10" ?
function versionAtLeast(v, min) {
    const a = v.split('.').map(Number);
    const b = min.split('.').map(Number);
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
        const x = a[k] || 0;
        const y = b[k] || 0;
        if (x !== y) return x > y;
    }
    return true;
}

// ---- The rules ---------------------------------------------------------------------------

const rules = [];
function rule(name, desc, fn) {
    rules.push({ name, desc, fn });
}

rule('terraform-version', 'every required_version allows only Terraform >= 1.10 (the S3 backend\'s use_lockfile)', (ctx) => {
    let seen = 0;
    for (const mod of ctx.modules.values()) {
        for (const [kind, blocks] of mod.other) {
            if (kind !== 'terraform') continue;
            for (const b of blocks) {
                if (!('required_version' in b)) continue;
                seen++;
                const c = String(b.required_version);
                const m = /^\s*(>=|~>)\s*(\d+(?:\.\d+)*)\s*$/.exec(c);
                const where = mod.dir.slice(ctx.tf.length + 1);
                need(m, `${where}: required_version "${c}" is not ">= X.Y" or "~> X.Y"`);
                need(versionAtLeast(m[2], '1.10'), `${where}: required_version "${c}" allows Terraform below 1.10`);
            }
        }
    }
    need(seen >= 3, `only ${seen} required_version constraints (the stack and both environments must have one)`);
});

rule('listener-dependency', 'the ECS service is created after the ALB\'s HTTPS listener', (ctx) => {
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const svc = resourceIn(c, 'aws_ecs_service', 'api');
        const deps = (svc.depends_on || []).map((d) => /^\$\{terraform_data\.([\w-]+)\}$/.exec(d)).filter(Boolean);
        need(deps.length > 0, `${root}: aws_ecs_service.api depends on no terraform_data carrying the listener`);
        const ok = deps.some((m) => {
            const td = c.mod.resource[`terraform_data.${m[1]}`];
            const v = td && varName(td.body.input);
            return v && argOf(c, v) === '${module.load_balancer.https_listener_arn}';
        });
        need(ok, `${root}: the service's depends_on carries no value the stack sets to module.load_balancer.https_listener_arn`);
        const lb = inst(ctx, root, 'load_balancer');
        need(lb.mod.output.https_listener_arn && lb.mod.output.https_listener_arn.body.value === '${aws_lb_listener.https.arn}',
            'load_balancer output https_listener_arn is not the HTTPS listener');
        need(resourceIn(lb, 'aws_lb_listener', 'https').protocol === 'HTTPS', 'aws_lb_listener.https is not HTTPS');
    }
});

rule('appspec-capacity-providers', 'the CodeDeploy AppSpec carries the service\'s capacity-provider strategy', (ctx) => {
    const text = readFileSync(join(ctx.src, 'docker/appspec.yaml'), 'utf8');
    const entries = [];
    const re = /-\s+CapacityProvider:\s*(\S+)\s*\n\s+Base:\s*(\S+)\s*\n\s+Weight:\s*(\S+)/g;
    let m;
    while ((m = re.exec(text)) !== null) entries.push({ p: m[1], base: m[2], weight: m[3] });
    need(/CapacityProviderStrategy:/.test(text) && entries.length > 0, 'docker/appspec.yaml has no CapacityProviderStrategy');
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const strategy = resourceIn(c, 'aws_ecs_service', 'api').capacity_provider_strategy || [];
        const want = strategy.map((s) => s.capacity_provider).sort().join(',');
        const got = entries.map((e) => e.p).sort().join(',');
        need(want === got, `${root}: the AppSpec names ${got}, the service ${want}`);
        for (const s of strategy) {
            const e = entries.find((x) => x.p === s.capacity_provider);
            for (const [field, placeholder, output] of [['base', '<FARGATE_BASE>', 'fargate_base'],
                ['weight', '<FARGATE_SPOT_WEIGHT>', 'fargate_spot_weight']]) {
                const tf = s[field] === undefined ? (field === 'base' ? 0 : 1) : s[field];
                const v = varName(tf);
                if (v) {
                    // A variable: the AppSpec's placeholder, filled from the
                    // output that is that variable.
                    need(e[field] === placeholder, `${root}: ${s.capacity_provider} ${field} is var.${v}, the AppSpec has ${e[field]}, not ${placeholder}`);
                    const out = c.mod.output[output];
                    need(out && out.body.value === `\${var.${v}}`, `${root}: compute output ${output} is not var.${v}`);
                    const top = ctx.modules.get(resolve(ctx.tf, root));
                    need(top.output[`ecs_${output}`], `${root}: no output ecs_${output} for the GitHub environment`);
                } else {
                    need(String(e[field]) === String(tf), `${root}: ${s.capacity_provider} ${field} is ${tf}, the AppSpec has ${e[field]}`);
                }
            }
        }
    }
});

rule('autoscaling-both-target-groups', 'request-count autoscaling counts both target groups (blue/green swap them)', (ctx) => {
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        for (const p of resourcesOf(c, 'aws_appautoscaling_policy')) {
            const text = JSON.stringify(p.body);
            need(!/ALBRequestCountPerTarget/.test(text), `${root}: ${p.name} uses ALBRequestCountPerTarget, which watches one target group`);
            if (!/RequestCount/.test(text)) continue;
            const vars = [...text.matchAll(/\$\{var\.([\w-]+)\}/g)].map((x) => x[1]);
            const args = new Set(vars.filter((v) => c.callBody && v in c.callBody).map((v) => argOf(c, v)));
            for (const g of ['blue', 'green']) {
                need(args.has(`\${module.load_balancer.${g}_target_group_arn_suffix}`),
                    `${root}: ${p.name} does not count the ${g} target group`);
            }
        }
    }
});

rule('oidc-trust', 'the GitHub role trusts only jobs in its GitHub environment (exact subject, right audience)', (ctx) => {
    for (const root of ROOTS) {
        const g = inst(ctx, root, 'github_oidc');
        const doc = dataIn(g, 'aws_iam_policy_document', 'assume');
        const conds = doc.statement.flatMap((s) => s.condition || []);
        const sub = conds.filter((c) => /:sub$/.test(c.variable));
        need(sub.length === 1, `${root}: ${sub.length} conditions on the token's subject`);
        need(sub[0].test === 'StringEquals', `${root}: the subject is matched with ${sub[0].test}, not StringEquals`);
        const values = sub[0].values;
        need(values.length === 1 && values[0] === 'repo:${var.github_repository}:environment:${var.github_environment}',
            `${root}: trusted subjects ${JSON.stringify(values)}`);
        need(!values.some((v) => /\*|:ref:/.test(v)), `${root}: a wildcard or branch subject is trusted`);
        need(argOf(g, 'github_environment') === '${var.environment}', `${root}: github_environment is not the stack's environment`);
        const aud = conds.filter((c) => /:aud$/.test(c.variable));
        need(aud.length === 1 && aud[0].test === 'StringEquals' && JSON.stringify(aud[0].values) === '["sts.amazonaws.com"]',
            `${root}: the audience is not checked`);
    }
});

// Actions that have no resource-level permissions: "*" is their only form.
const STAR_ONLY = new Set(['ecr:GetAuthorizationToken', 'ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition',
    'ecs:ListTaskDefinitions', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']);

rule('no-star-resources', 'no Allow statement grants codedeploy, s3, kms, secretsmanager, iam, cloudfront, logs or ecs actions on "*"', (ctx) => {
    const bad = [];
    let n = 0;
    for (const { where, st } of statements(ctx)) {
        if (st.effect === 'Deny') continue;
        n++;
        if (!(st.resources || []).includes('*')) continue;
        for (const a of st.actions || []) {
            if (!STAR_ONLY.has(a)) bad.push(`${where} ${st.sid || ''}: ${a} on "*"`);
        }
    }
    need(n > 10, `only ${n} Allow statements found`);
    need(bad.length === 0, bad.join('; '));
});

rule('task-role-least-privilege', 'the service\'s task role: S3 objects and the S3 key only; no ECS Exec on the service', (ctx) => {
    const allowed = new Set(['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 'kms:Decrypt',
        'kms:GenerateDataKey']);
    for (const root of ROOTS) {
        const iam = inst(ctx, root, 'iam');
        const doc = dataIn(iam, 'aws_iam_policy_document', 'task');
        const actions = doc.statement.flatMap((s) => s.actions || []);
        const extra = actions.filter((a) => !allowed.has(a));
        need(extra.length === 0, `${root}: the task role also has ${extra.join(', ')}`);
        need(!doc.source_policy_documents, `${root}: the task role's policy pulls in other documents`);
        const c = inst(ctx, root, 'compute');
        const svc = resourceIn(c, 'aws_ecs_service', 'api');
        need(svc.enable_execute_command !== true, `${root}: ECS Exec is enabled on the service (its root filesystem is read-only)`);
    }
});

rule('operator-access', 'ECS Exec lives in the admin task: a writable root, its own roles, ssmmessages; the service\'s root is read-only', (ctx) => {
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const api = resourceIn(c, 'aws_ecs_task_definition', 'api').container_definitions;
        const admin = resourceIn(c, 'aws_ecs_task_definition', 'admin');
        need(/readonlyRootFilesystem\s*=\s*true/.test(api), `${root}: the API container's root filesystem is not read-only`);
        need(/readonlyRootFilesystem\s*=\s*false/.test(admin.container_definitions),
            `${root}: the admin task does not say its root filesystem is writable (ECS Exec needs it)`);
        need(/entryPoint\s*=\s*\[/.test(admin.container_definitions), `${root}: the admin task runs the server's entrypoint`);
        need(admin.task_role_arn === '${var.admin_task_role_arn}' && argOf(c, 'admin_task_role_arn') === '${module.iam.admin_task_role_arn}',
            `${root}: the admin task does not have the admin task role`);
        const iam = inst(ctx, root, 'iam');
        const doc = dataIn(iam, 'aws_iam_policy_document', 'admin_task');
        need(JSON.stringify(doc).includes('ssmmessages:OpenDataChannel'), `${root}: the admin task role cannot open ECS Exec channels`);
        need(resourceIn(iam, 'aws_iam_role_policy', 'admin_task').policy === '${data.aws_iam_policy_document.admin_task.json}',
            `${root}: the admin task role's policy is not the admin document`);
    }
});

rule('database-roles', 'the service connects as the application role and migrates as the migration role; the master secret is the admin task\'s only', (ctx) => {
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const api = resourceIn(c, 'aws_ecs_task_definition', 'api').container_definitions;
        const secrets = /secrets\s*=\s*concat\(([^)]*)\)/.exec(api);
        need(secrets, `${root}: the API container's secrets are not a concat() of locals`);
        const parts = secrets[1].split(',').map((x) => x.trim());
        need(parts.includes('local.app_db_secrets') && parts.includes('local.migrate_secrets'),
            `${root}: the API container does not get the application and migration roles' credentials`);
        need(!parts.includes('local.master_db_secrets'), `${root}: the API container gets the master user's credentials`);
        const locals = c.mod.locals;
        need(JSON.stringify(locals.app_db_secrets).includes('${var.db_app_secret_arn}'), `${root}: app_db_secrets is not the application role's secret`);
        need(JSON.stringify(locals.migrate_secrets).includes('${var.db_migrate_secret_arn}') &&
            JSON.stringify(locals.migrate_secrets).includes('PLCCOACH_MIGRATE_PGPASSWORD'), `${root}: the migration role's credentials are not PLCCOACH_MIGRATE_PG*`);
        need(argOf(c, 'db_app_secret_arn') === '${module.secrets.db_app_secret_arn}', `${root}: db_app_secret_arn is not the application role's secret`);
        const iam = inst(ctx, root, 'iam');
        const exec = dataIn(iam, 'aws_iam_policy_document', 'execution_secrets');
        need(!JSON.stringify(exec).includes('master_secret_arn'), `${root}: the service's execution role reads the master secret`);
        const arns = argOf(iam, 'secret_arns');
        need(Array.isArray(arns) && !arns.includes('${module.secrets.db_secret_arn}'), `${root}: the service's secrets include the master user's`);
        need(argOf(iam, 'master_secret_arn') === '${module.secrets.db_secret_arn}', `${root}: the admin execution role does not read the master secret`);
    }
});

rule('rds-tls', 'libpq verifies RDS (verify-full) against the bundle the image carries', (ctx) => {
    const df = dockerfile(ctx);
    const path = /-o (\/\S+\.pem) \\?\s*\n?\s*https:\/\/truststore\.pki\.rds\.amazonaws\.com\//.exec(df);
    need(path, 'docker/Dockerfile does not download the RDS bundle');
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const tls = c.mod.locals.tls_environment || {};
        need(tls.PGSSLMODE === 'verify-full', `${root}: PGSSLMODE is ${tls.PGSSLMODE}`);
        need(tls.PGSSLROOTCERT === path[1], `${root}: PGSSLROOTCERT ${tls.PGSSLROOTCERT} is not the image's ${path[1]}`);
        for (const t of ['api', 'admin']) {
            need(/local\.tls_environment/.test(resourceIn(c, 'aws_ecs_task_definition', t).container_definitions) ||
                JSON.stringify(c.mod.locals.environment).includes('local.tls_environment'), `${root}: the ${t} task does not use the TLS settings`);
        }
        const text = c.mod.files.map((f) => readFileSync(f, 'utf8')).join('\n');
        need(!/PGSSLMODE\s*=\s*"(disable|allow|prefer|require|verify-ca)"/.test(text), `${root}: a weaker PGSSLMODE is still set somewhere`);
    }
});

rule('writable-volumes', 'the task mounts a volume on exactly the paths the image declares, after creating them with their owner', (ctx) => {
    const df = dockerfile(ctx);
    const vol = /^VOLUME\s+\[([^\]]*)\]/m.exec(df);
    need(vol, 'docker/Dockerfile declares no VOLUME');
    const declared = [...vol[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).sort();
    const user = [...df.matchAll(/^USER\s+(\S+)/gm)].map((x) => x[1]).pop();
    need(user && user !== 'root', 'the image runs as root');
    for (const p of declared) {
        const made = new RegExp(`install -d -o (\\S+) -g \\S+ -m (\\d+)[^\\n]* ${p.replace(/\//g, '\\/')}( |$|\\s)`, 'm').exec(df);
        need(made, `${p} is declared but not created with an owner (install -d -o ...)`);
        need(made[1] === user || /^1777$/.test(made[2]), `${p} is ${made[1]}'s, mode ${made[2]}: ${user} cannot write it`);
        need(df.indexOf(made[0]) < vol.index, `${p} is created after the VOLUME line (the change would be discarded)`);
    }
    for (const root of ROOTS) {
        const c = inst(ctx, root, 'compute');
        const mounts = c.mod.locals.mount_points || [];
        const paths = mounts.filter((m) => m.readOnly === false).map((m) => m.containerPath).sort();
        need(JSON.stringify(paths) === JSON.stringify(declared), `${root}: the task mounts ${paths}, the image declares ${declared}`);
        const volumes = (resourceIn(c, 'aws_ecs_task_definition', 'api').volume || []).map((v) => v.name);
        for (const m of mounts) need(volumes.includes(m.sourceVolume), `${root}: no volume ${m.sourceVolume} in the task definition`);
        need(/mountPoints\s*=\s*local\.mount_points/.test(resourceIn(c, 'aws_ecs_task_definition', 'api').container_definitions),
            `${root}: the API container does not mount local.mount_points`);
    }
});

rule('health-checks', 'liveness (container) and readiness (ALB) are /health/live and /health/ready, and the start-up wait fits the grace period', (ctx) => {
    const df = dockerfile(ctx);
    need(/HEALTHCHECK[^\n]*\n[^\n]*"http:\/\/127\.0\.0\.1:8000\/health\/live"/.test(df), 'the image\'s HEALTHCHECK is not /health/live');
    for (const root of ROOTS) {
        const lb = inst(ctx, root, 'load_balancer');
        for (const g of ['blue', 'green']) {
            const hc = resourceIn(lb, 'aws_lb_target_group', g).health_check[0];
            need(hc.path === '/health/ready', `${root}: the ${g} target group checks ${hc.path}`);
        }
        const c = inst(ctx, root, 'compute');
        const api = resourceIn(c, 'aws_ecs_task_definition', 'api').container_definitions;
        need(/command\s*=\s*\["CMD-SHELL",\s*"[^"]*http:\/\/127\.0\.0\.1:8000\/health\/live[^"]*"\]/.test(api),
            `${root}: the container's health check is not /health/live`);
        const svc = resourceIn(c, 'aws_ecs_service', 'api');
        need(svc.health_check_grace_period_seconds === '${var.db_start_wait}', `${root}: the grace period is not the start-up wait`);
        need(/PLCCOACH_DB_START_WAIT\s*=\s*tostring\(var\.db_start_wait\)/.test(c.mod.locals.environment),
            `${root}: PLCCOACH_DB_START_WAIT is not the grace period`);
    }
});

rule('viewer-address', 'CloudFront sends the viewer address and the origin secret; the ALB takes CloudFront only; nginx trusts the ALB\'s subnets', (ctx) => {
    for (const root of ROOTS) {
        const cdn = inst(ctx, root, 'cdn');
        const dist = resourceIn(cdn, 'aws_cloudfront_distribution', 'main');
        const alb = dist.origin.find((o) => o.custom_origin_config);
        need(alb, `${root}: no ALB origin`);
        const hdr = (alb.custom_header || []).find((h) => h.name === 'X-Plccoach-Origin-Secret');
        need(hdr && hdr.value === '${var.origin_secret}' && argOf(cdn, 'origin_secret') === '${module.secrets.origin_secret_value}',
            `${root}: the ALB origin does not carry the origin secret`);
        for (const b of dist.ordered_cache_behavior.filter((x) => x.target_origin_id === '${local.alb_origin_id}')) {
            const f = (b.function_association || []).find((a) => a.event_type === 'viewer-request');
            need(f && f.function_arn === '${aws_cloudfront_function.viewer_address.arn}', `${root}: ${b.path_pattern} does not set the viewer address`);
        }
        const fn = resourceIn(cdn, 'aws_cloudfront_function', 'viewer_address');
        need(/viewer-address\.js/.test(fn.code), `${root}: the viewer-address function's code is not viewer-address.js`);
        const sec = inst(ctx, root, 'security');
        const sg = resourceIn(sec, 'aws_security_group', 'alb');
        for (const ing of sg.ingress) {
            need(!(ing.cidr_blocks || []).includes('0.0.0.0/0') && !(ing.ipv6_cidr_blocks || []).includes('::/0'),
                `${root}: the ALB takes port ${ing.from_port} from anywhere`);
            need(JSON.stringify(ing.prefix_list_ids) === '["${data.aws_ec2_managed_prefix_list.cloudfront.id}"]',
                `${root}: the ALB's port ${ing.from_port} is not CloudFront's prefix list`);
        }
        need(dataIn(sec, 'aws_ec2_managed_prefix_list', 'cloudfront').name === 'com.amazonaws.global.cloudfront.origin-facing',
            `${root}: the prefix list is not CloudFront's origin-facing one`);
        const c = inst(ctx, root, 'compute');
        need(JSON.stringify(c.mod.locals.origin_secret || '').includes('${var.origin_secret_arn}') &&
            /local\.origin_secret/.test(resourceIn(c, 'aws_ecs_task_definition', 'api').container_definitions),
            `${root}: the API container does not get PLCCOACH_ORIGIN_SECRET`);
        need(/PLCCOACH_ALB_CIDRS\s*=\s*join\(" ", var\.alb_subnet_cidrs\)/.test(c.mod.locals.environment) &&
            argOf(c, 'alb_subnet_cidrs') === '${module.network.public_subnet_cidrs}',
            `${root}: PLCCOACH_ALB_CIDRS is not the ALB's (public) subnets`);
    }
});

rule('access-logs', 'access logs: the ALB, CloudFront and every bucket, into the logs bucket; every log group expires', (ctx) => {
    for (const root of ROOTS) {
        const lb = inst(ctx, root, 'load_balancer');
        const al = (resourceIn(lb, 'aws_lb', 'main').access_logs || [])[0];
        need(al && al.enabled === true && al.bucket === '${var.logs_bucket}' && argOf(lb, 'logs_bucket') === '${module.storage.logs_bucket}',
            `${root}: the ALB writes no access logs to the logs bucket`);
        const cdn = inst(ctx, root, 'cdn');
        const lc = (resourceIn(cdn, 'aws_cloudfront_distribution', 'main').logging_config || [])[0];
        need(lc && lc.bucket === '${var.logs_bucket_domain_name}', `${root}: CloudFront writes no standard logs`);
        const st = inst(ctx, root, 'storage');
        const buckets = resourcesOf(st, 'aws_s3_bucket').map((b) => b.name).filter((n) => n !== 'logs');
        const logging = resourceIn(st, 'aws_s3_bucket_logging', 'all');
        need(logging.for_each === '${local.all_buckets}', `${root}: bucket logging does not cover local.all_buckets`);
        const covered = Object.values(st.mod.locals.all_buckets).map((v) => /aws_s3_bucket\.(\w+)\.id/.exec(v)[1]).sort();
        need(JSON.stringify(covered) === JSON.stringify(buckets.sort()), `${root}: buckets ${buckets} but access logging for ${covered}`);
        need(logging.target_bucket === '${aws_s3_bucket.logs.id}', `${root}: bucket logs do not go to the logs bucket`);
        need(JSON.stringify(resourceIn(st, 'aws_s3_bucket_lifecycle_configuration', 'logs')).includes('expiration'),
            `${root}: the logs never expire`);
        const db = inst(ctx, root, 'database');
        const exports = resourceIn(db, 'aws_db_instance', 'main').enabled_cloudwatch_logs_exports || [];
        const groups = resourceIn(db, 'aws_cloudwatch_log_group', 'exports');
        need(exports.every((e) => String(groups.for_each).includes(`"${e}"`)) && groups.retention_in_days &&
            /\/aws\/rds\/instance\/\$\{var\.name\}-db\/\$\{each\.key\}/.test(groups.name) &&
            JSON.stringify(resourceIn(db, 'aws_db_instance', 'main').depends_on || []).includes('aws_cloudwatch_log_group.exports'),
            `${root}: RDS's exported logs (${exports}) have no log group with a retention, made before the instance`);
        for (const mod of ctx.modules.values()) {
            for (const r of Object.values(mod.resource)) {
                if (r.type === 'aws_cloudwatch_log_group') need(r.body.retention_in_days !== undefined, `${r.name}: a log group without retention`);
            }
        }
    }
});

rule('slow-query-log', 'the PostgreSQL log keeps no bound parameters', (ctx) => {
    const db = inst(ctx, 'environments/production', 'database');
    const params = Object.fromEntries(resourceIn(db, 'aws_db_parameter_group', 'main').parameter.map((p) => [p.name, String(p.value)]));
    need(params.log_parameter_max_length === '0', 'log_parameter_max_length is not 0');
    need(params.log_parameter_max_length_on_error === '0', 'log_parameter_max_length_on_error is not 0');
});

// RDS's default max_connections is LEAST(DBInstanceClassMemory/9531392,
// 5000); the parameter group pins it, and every connection the service can
// open at full scale must fit below it (docs/operations.md, "Database
// connections"): max_count tasks, twice during a blue/green deployment,
// each a connection per worker and two per job process (its own and an
// ingestion's), the admin task's two, and the 5 superuser slots.
rule('db-connection-budget', 'the connections at full scale (2 x max_count x (workers + 2 x job_workers) + 7) fit the database\'s pinned max_connections', (ctx) => {
    for (const root of ROOTS) {
        const num = (addr) => Number(valueAt(ctx.modules, ctx.tf, root, addr));
        const db = inst(ctx, root, 'database');
        const p = resourceIn(db, 'aws_db_parameter_group', 'main').parameter.find((x) => x.name === 'max_connections');
        need(p && p.value === '${var.max_connections}', `${root}: the parameter group does not pin max_connections to var.max_connections`);
        const max = num('module.stack.module.database.var.max_connections');
        const workers = num('module.stack.module.compute.var.workers');
        const jobs = num('module.stack.module.compute.var.job_workers');
        const tasks = num('module.stack.module.compute.var.max_count');
        const c = inst(ctx, root, 'compute');
        need(/PLCCOACH_WORKERS\s*=\s*tostring\(var\.workers\)/.test(c.mod.locals.environment), `${root}: PLCCOACH_WORKERS is not var.workers`);
        need(/PLCCOACH_JOB_WORKERS\s*=\s*tostring\(var\.job_workers\)/.test(c.mod.locals.environment), `${root}: PLCCOACH_JOB_WORKERS is not var.job_workers`);
        need([max, workers, jobs, tasks].every(Number.isFinite), `${root}: unresolved (max_connections ${max}, workers ${workers}, job_workers ${jobs}, max_count ${tasks})`);
        const need_ = 2 * tasks * (workers + 2 * jobs) + 7;
        need(need_ <= max, `${root}: 2 x ${tasks} x (${workers} + 2 x ${jobs}) + 7 = ${need_} connections > max_connections ${max}`);
    }
});

rule('error-alarm-counts-the-alb', 'the 5XX alarm counts the load balancer\'s own 5XX (502/503/504) with the targets\'', (ctx) => {
    const m = inst(ctx, 'environments/production', 'monitoring');
    const a = JSON.stringify(resourceIn(m, 'aws_cloudwatch_metric_alarm', 'high_error_rate'));
    need(a.includes('HTTPCode_ELB_5XX_Count') && a.includes('HTTPCode_Target_5XX_Count'), 'the alarm does not sum both');
});

rule('web-app-not-in-image', 'the API image does not build or carry the web app', (ctx) => {
    need(!/frontend/.test(dockerfile(ctx)), 'docker/Dockerfile still mentions the frontend');
});

// ---- Main ------------------------------------------------------------------------------------

async function check(src) {
    const tf = resolve(src, 'terraform');
    const ctx = { src, tf, modules: await loadAll(tf) };
    return rules.map((r) => {
        try {
            r.fn(ctx);
            return [true, `${r.name}: ${r.desc}`, []];
        } catch (e) {
            return [false, `${r.name}: ${r.desc}`, [e.rule ? e.message : (e.stack || String(e))]];
        }
    });
}

async function main() {
    const args = process.argv.slice(2);
    if (args[0] === '--failing') {
        for (const src of args.slice(1)) {
            process.stdout.write(`=== ${src}\n`);
            let results;
            try {
                results = await check(src);
            } catch (e) {
                process.stdout.write(`(does not load: ${e.message})\n`);
                continue;
            }
            for (const [ok, desc, diags] of results) {
                if (!ok) process.stdout.write(`${desc.split(':')[0]}\t${diags[0] || ''}\n`);
            }
        }
        return;
    }
    if (!args[0] || !existsSync(join(args[0], 'terraform'))) {
        process.stderr.write('usage: tf-rules.mjs [--failing] SRCDIR...\n');
        process.exit(2);
    }
    process.exit(tap(await check(args[0])) ? 1 : 0);
}

main().catch((e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
});

export { rules, show, valueAt, stringsIn };
