-- deployer serve's tables, the same as SQLite's version 1 in PostgreSQL's types.
create table deployments(
  seq bigserial primary key, id text unique not null, project text not null,
  state text not null, reason text, exit_code integer, source text, image text, tag text,
  requested_by text, callback_url text, image_file text, package_file text,
  created_at text not null, started_at text, finished_at text, duration_ms bigint, not_before text);
create table host_results(
  deployment_id text not null, host text not null, ok integer, changed integer, failed integer,
  skipped integer, unreachable integer, primary key (deployment_id, host));
create index deployments_project on deployments(project, state, seq);
create index deployments_finished on deployments(finished_at);
create index deployments_durations on deployments(project, duration_ms)
  where state in ('ok', 'failed') and duration_ms is not null;
create table callbacks(
  seq bigserial primary key, deployment_id text not null, url text not null,
  payload text not null, state text not null, attempts integer not null default 0,
  next_at bigint not null, last_error text, created_at text not null);
create index callbacks_due on callbacks(state, next_at);
create table hook_ids(
  project text not null, id text not null, seen_at bigint not null, primary key (project, id));
