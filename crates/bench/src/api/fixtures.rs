//! What the daemon under test is given: guest configs written into a temp root before
//! it starts, a `pve`-realm user with a known password and `Administrator` on `/`, and
//! its login ticket from `POST /access/ticket`; when the login fails, a `root@pam`
//! ticket signed with the root's auth key as the daemon would sign it.

use super::client::percent_encode;
use anyhow::{Context, Result};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};
use virton_access::password::hash_password;
use virton_access::ticket::AuthKeys;
use virton_api_types::Userid;
use virton_sys::HostRoot;

/// The node name the benchmark's daemons run as.
pub const NODE: &str = "bench1";

/// The first VMID written.
const FIRST_VMID: u32 = 100;

/// A small but complete VM config, as the GUI writes for a default VM.
fn vm_config(vmid: u32) -> String {
    let lo = vmid & 0xff;
    let hi = (vmid >> 8) & 0xff;
    format!(
        "boot: order=scsi0;net0\n\
         cores: 2\n\
         cpu: x86-64-v2-AES\n\
         memory: 2048\n\
         meta: creation-qemu=9.2.0,ctime=1700000000\n\
         name: bench-vm-{vmid}\n\
         net0: virtio=BC:24:11:00:{hi:02X}:{lo:02X},bridge=vmbr0,firewall=1\n\
         numa: 0\n\
         ostype: l26\n\
         scsi0: local:{vmid}/vm-{vmid}-disk-0.qcow2,iothread=1,size=32G\n\
         scsihw: virtio-scsi-single\n\
         smbios1: uuid=00000000-0000-4000-8000-{vmid:012}\n\
         sockets: 1\n\
         vmgenid: 00000000-0000-4000-8000-{vmid:012}\n"
    )
}

/// Writes `count` VM configs into `<root>/etc/pve/nodes/<NODE>/qemu-server/`.
pub fn write_vms(root: &Path, count: u32) -> Result<()> {
    let dir = qemu_dir(root);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for vmid in FIRST_VMID..FIRST_VMID + count {
        let path = dir.join(format!("{vmid}.conf"));
        std::fs::write(&path, vm_config(vmid))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The directory holding this node's VM configs.
pub fn qemu_dir(root: &Path) -> std::path::PathBuf {
    root.join(format!("etc/pve/nodes/{NODE}/qemu-server"))
}

/// Reads every config in `dir`: the least work any `/cluster/resources` must do.
pub fn read_all_configs(dir: &Path) -> Result<usize> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "conf") {
            bytes += std::fs::read_to_string(&path)?.len();
        }
    }
    Ok(bytes)
}

/// The user the benchmark logs in as.
pub const BENCH_USER: &str = "benchapi@pve";
/// Its password (the daemon only listens on loopback in a temp root).
const BENCH_PASSWORD: &str = "bench-api-password";

/// Adds [`BENCH_USER`] to the `user.cfg` and `priv/shadow.cfg` a started daemon created.
pub fn add_bench_user(root: &Path) -> Result<()> {
    let pve = root.join("etc/pve");
    let users = pve.join("user.cfg");
    let mut text = std::fs::read_to_string(&users).context("cannot read user.cfg")?;
    let (name, _) = BENCH_USER.split_once('@').unwrap_or((BENCH_USER, ""));
    text.push_str(&format!(
        "user:{BENCH_USER}:1:0::::::\n\nacl:1:/:{BENCH_USER}:Administrator:\n"
    ));
    let hash = hash_password(BENCH_PASSWORD).context("cannot hash the password")?;
    std::fs::write(pve.join("priv/shadow.cfg"), format!("{name}:{hash}:\n"))
        .context("cannot write shadow.cfg")?;
    std::fs::write(&users, text).context("cannot write user.cfg")
}

/// The form body logging in as [`BENCH_USER`].
pub fn login_form() -> String {
    format!(
        "username={}&password={}",
        percent_encode(BENCH_USER),
        percent_encode(BENCH_PASSWORD)
    )
}

/// The ticket in a `POST /access/ticket` answer.
pub fn ticket_of(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v["data"]["ticket"].as_str().map(str::to_string)
}

/// A fresh `root@pam` login ticket signed with the key the daemon created in `root`.
pub fn root_ticket(root: &Path) -> Result<String> {
    let keys = AuthKeys::load(&HostRoot::new(root))
        .context("cannot read the auth key")?
        .context("the daemon did not create an auth key")?;
    let user: Userid = "root@pam".parse().context("root@pam")?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    keys.assemble_user_ticket(&user, now)
        .context("cannot sign a ticket")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_configs_parse_as_qemu_server_configs() {
        let text = vm_config(12345);
        let parsed =
            <virton_config::guest::qemu::VmConfig as virton_config::Format>::parse("t", &text);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn bench_user_is_added_with_acl_and_password() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc/pve/priv")).unwrap();
        std::fs::write(
            dir.path().join("etc/pve/user.cfg"),
            "user:root@pam:1:0:::::::\n",
        )
        .unwrap();
        add_bench_user(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("etc/pve/user.cfg")).unwrap();
        let cfg = <virton_config::user_cfg::UserConfig as virton_config::Format>::parse("u", &text)
            .unwrap();
        assert!(cfg.users.contains_key(BENCH_USER));
        assert!(cfg.acl.contains_key("/"), "{text}");
        let shadow = std::fs::read_to_string(dir.path().join("etc/pve/priv/shadow.cfg")).unwrap();
        assert!(shadow.starts_with("benchapi:$5$"), "{shadow}");
        assert_eq!(
            ticket_of(br#"{"data":{"ticket":"PVE:x"}}"#).as_deref(),
            Some("PVE:x")
        );
    }

    #[test]
    fn written_configs_are_all_read_back() {
        let dir = tempfile::tempdir().unwrap();
        write_vms(dir.path(), 25).unwrap();
        let bytes = read_all_configs(&qemu_dir(dir.path())).unwrap();
        assert!(bytes > 25 * 300, "{bytes}");
    }
}
