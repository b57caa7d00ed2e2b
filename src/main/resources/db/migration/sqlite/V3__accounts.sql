-- Users and API tokens of deployer serve in the database, for replicas that share it: each knows
-- the same ones, and a change made with deployer passwd or token --store needs no restart.
create table users(name text primary key, role text not null, hash text not null);
create table tokens(name text primary key, role text not null, hash text not null unique);
