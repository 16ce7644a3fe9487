//! The `config` benchmark: parse plus canonical write of the files the daemon rewrites
//! most (guest configs, `user.cfg`, `storage.cfg`, `datacenter.cfg`), each against a
//! baseline that only splits the same text into lines and `key: value` pairs and joins
//! it again: the least any reader/writer of these files must do.
//!
//! The inputs are generated here (hand-written shapes, no upstream data).

use crate::measure::{report, Samples};
use anyhow::{ensure, Result};
use std::fmt::Write as _;
use virton_config::datacenter::DatacenterConfig;
use virton_config::guest::lxc::CtConfig;
use virton_config::guest::qemu::VmConfig;
use virton_config::storage::StorageConfig;
use virton_config::user_cfg::UserConfig;
use virton_config::Format;

const BENCH: &str = "config";

/// Runs every case. Optional arguments: samples per case, and a text that case names
/// must contain (to time or profile one case).
pub fn run(args: &[String]) -> Result<()> {
    let samples = args.first().and_then(|a| a.parse().ok()).unwrap_or(41);
    let filter = args.get(1).map_or("", String::as_str);
    let want = |case: &str| case.contains(filter);
    let (vm, ct) = ("vm-conf parse+write x1000", "ct-conf parse+write x1000");
    if want(vm) {
        let vms: Vec<String> = (0..1000).map(vm_conf).collect();
        many::<VmConfig>(vm, &vms, samples)?;
    }
    if want(ct) {
        let cts: Vec<String> = (0..1000).map(ct_conf).collect();
        many::<CtConfig>(ct, &cts, samples)?;
    }
    let users = "user.cfg 1000 users parse+write";
    if want(users) {
        one::<UserConfig>(users, &user_cfg(1000), samples)?;
    }
    let storages = "storage.cfg 100 storages parse+write";
    if want(storages) {
        one::<StorageConfig>(storages, &storage_cfg(100), samples)?;
    }
    let dc = "datacenter.cfg parse+write";
    if want(dc) {
        one::<DatacenterConfig>(dc, DATACENTER, samples * 10)?;
    }
    Ok(())
}

/// What the baseline does with one file: lines split at the first `:` (or blank) into
/// pairs, then joined back into a new text.
fn baseline(text: &str) -> String {
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .map(|l| l.split_once([':', ' ']).unwrap_or((l, "")))
        .collect();
    let mut out = String::with_capacity(text.len());
    for (k, v) in pairs {
        out.push_str(k);
        out.push(':');
        out.push_str(v);
        out.push('\n');
    }
    out
}

fn parse_write<T: Format>(text: &str) -> String {
    match T::parse("bench", text) {
        Ok(v) => v.write(),
        Err(e) => e.to_string(),
    }
}

/// Checks once that `text` parses (a broken input would time the error path).
fn check_input<T: Format>(text: &str) -> Result<()> {
    let res = T::parse("bench", text);
    ensure!(res.is_ok(), "bench input does not parse: {:?}", res.err());
    Ok(())
}

/// A case whose sample handles every text of `texts` once.
fn many<T: Format>(case: &str, texts: &[String], samples: usize) -> Result<()> {
    for t in texts.iter().take(3) {
        check_input::<T>(t)?;
    }
    let run = Samples::take(samples, || {
        texts
            .iter()
            .map(|t| parse_write::<T>(t).len())
            .sum::<usize>()
    });
    let base = Samples::take(samples, || {
        texts.iter().map(|t| baseline(t).len()).sum::<usize>()
    });
    report(BENCH, case, texts.len(), &run, &base);
    Ok(())
}

/// A case whose sample handles one text.
fn one<T: Format>(case: &str, text: &str, samples: usize) -> Result<()> {
    check_input::<T>(text)?;
    let run = Samples::take(samples, || parse_write::<T>(text));
    let base = Samples::take(samples, || baseline(text));
    report(BENCH, case, 1, &run, &base);
    Ok(())
}

/// A typical VM (one disk, one NIC) with one snapshot.
fn vm_conf(i: usize) -> String {
    let vmid = 100 + i;
    let (hi, lo) = (i / 256 % 256, i % 256);
    format!(
        "#web server {vmid}\n\
         boot: order=scsi0;net0\n\
         cores: 4\n\
         cpu: x86-64-v2-AES\n\
         memory: 8192\n\
         name: web{vmid}\n\
         net0: virtio=BC:24:11:00:{hi:02X}:{lo:02X},bridge=vmbr0,firewall=1\n\
         numa: 0\n\
         ostype: l26\n\
         parent: before-upgrade\n\
         scsi0: local-lvm:vm-{vmid}-disk-0,iothread=1,size=32G\n\
         scsihw: virtio-scsi-single\n\
         smbios1: uuid=0b9a4c4e-3c1e-4b8f-9a55-{vmid:012}\n\
         sockets: 1\n\
         vmgenid: 7079e97c-50e3-4079-afe7-{vmid:012}\n\
         \n\
         [before-upgrade]\n\
         boot: order=scsi0;net0\n\
         cores: 2\n\
         memory: 4096\n\
         name: web{vmid}\n\
         scsi0: local-lvm:vm-{vmid}-disk-0,iothread=1,size=32G\n\
         snaptime: 1700000000\n"
    )
}

/// A typical container: rootfs, one mount point, one NIC.
fn ct_conf(i: usize) -> String {
    let vmid = 100 + i;
    let (hi, lo) = (i / 256 % 256, i % 256);
    format!(
        "#db container {vmid}\n\
         arch: amd64\n\
         cores: 2\n\
         features: nesting=1\n\
         hostname: db-{vmid}\n\
         memory: 2048\n\
         mp0: local-lvm:vm-{vmid}-disk-1,mp=/var/lib/db,backup=1,size=64G\n\
         net0: name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:01:{hi:02X}:{lo:02X},ip=dhcp,type=veth\n\
         onboot: 1\n\
         ostype: debian\n\
         rootfs: local-lvm:vm-{vmid}-disk-0,size=8G\n\
         swap: 512\n\
         tags: db\n\
         unprivileged: 1\n"
    )
}

/// `n` users, each with an ACL entry on its VM, one group of every tenth user and
/// ten pools.
fn user_cfg(n: usize) -> String {
    let mut out = String::from("user:root@pam:1:0::::::\n");
    for i in 0..n {
        let _ = writeln!(out, "user:user{i}@pve:1:0:First:Last:u{i}@example.com:::");
    }
    let ops: Vec<String> = (0..n).step_by(10).map(|i| format!("user{i}@pve")).collect();
    let _ = writeln!(out, "group:ops:{}:operators:", ops.join(","));
    for p in 0..10 {
        let vms: Vec<String> = (0..n / 10)
            .map(|v| (100 + p * 100 + v).to_string())
            .collect();
        let _ = writeln!(out, "pool:pool{p}:pool {p}:{}:", vms.join(","));
    }
    for i in 0..n {
        let _ = writeln!(out, "acl:1:/vms/{}:user{i}@pve:PVEVMUser:", 100 + i);
    }
    out
}

/// `local` plus `n - 1` NFS storages with content and retention settings.
fn storage_cfg(n: usize) -> String {
    let mut out = String::from("dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n");
    for i in 1..n {
        let _ = write!(
            out,
            "nfs: nfs{i}\n\texport /export/{i}\n\tpath /mnt/pve/nfs{i}\n\tserver 127.0.0.{}\n\
             \tcontent images,iso\n\tprune-backups keep-last=3\n\n",
            i % 250 + 1
        );
    }
    out
}

const DATACENTER: &str = "keyboard: en-us\n\
    console: html5\n\
    email_from: admin@example.com\n\
    mac_prefix: BC:24:11\n\
    migration: secure,network=10.0.0.0/24\n\
    ha: shutdown_policy=migrate\n\
    bwlimit: default=102400,restore=51200\n\
    tag-style: color-map=prod:ff0000:000000;web:00ff00:000000,ordering=config,shape=circle\n\
    user-tag-access: user-allow=list,user-allow-list=prod;web\n\
    max_workers: 8\n\
    next-id: lower=1000,upper=99999\n";
