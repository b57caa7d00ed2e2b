-- deployer serve's tables as they were before migrations were versioned (a database made then is
-- baselined at this version instead).
create table if not exists deployments(
  seq integer primary key autoincrement, id text unique not null, project text not null,
  state text not null, reason text, exit_code integer, source text, image text, tag text,
  requested_by text, callback_url text, image_file text, package_file text,
  created_at text not null, started_at text, finished_at text, duration_ms integer, not_before text);
create table if not exists host_results(
  deployment_id text not null, host text not null, ok integer, changed integer, failed integer,
  skipped integer, unreachable integer, primary key (deployment_id, host));
create index if not exists deployments_project on deployments(project, state, seq);
create index if not exists deployments_finished on deployments(finished_at);
create index if not exists deployments_durations on deployments(project, duration_ms)
  where state in ('ok', 'failed') and duration_ms is not null;
create table if not exists callbacks(
  seq integer primary key autoincrement, deployment_id text not null, url text not null,
  payload text not null, state text not null, attempts integer not null default 0,
  next_at integer not null, last_error text, created_at text not null);
create index if not exists callbacks_due on callbacks(state, next_at);
create table if not exists hook_ids(
  project text not null, id text not null, seen_at integer not null, primary key (project, id));
