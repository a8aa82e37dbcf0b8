/* ocifeat.c: `ocirun spec` (a default config.json, runc's) and `ocirun
 * features` (what this runtime understands, in runc's shape). */
#include <errno.h>
#include <string.h>
#include "ctr/caps.h"
#include "ctr/json.h"
#include "ctr/oci.h"
#include "ctr/seccomp.h"

/* runc spec's output (runc 1.1), hostname ocirun */
static const char default_spec[] =
	"{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},\"args\""
	":[\"sh\"],\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bi"
	"n\",\"TERM=xterm\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_AUDIT_WRITE\",\"CAP_KI"
	"LL\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_B"
	"IND_SERVICE\"],\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],"
	"\"ambient\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]},\"rlimits\":[{\"ty"
	"pe\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],\"noNewPrivileges\":true},\"root\":{\"p"
	"ath\":\"rootfs\",\"readonly\":true},\"hostname\":\"ocirun\",\"mounts\":[{\"destination\":\"/pr"
	"oc\",\"type\":\"proc\",\"source\":\"proc\"},{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\""
	":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},{\"destinat"
	"ion\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",\"options\":[\"nosuid\",\"noexec\",\""
	"newinstance\",\"ptmxmode=0666\",\"mode=0620\",\"gid=5\"]},{\"destination\":\"/dev/shm\",\"ty"
	"pe\":\"tmpfs\",\"source\":\"shm\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"siz"
	"e=65536k\"]},{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\",\"opti"
	"ons\":[\"nosuid\",\"noexec\",\"nodev\"]},{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":"
	"\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},{\"destination\":\"/sys/fs/cgro"
	"up\",\"type\":\"cgroup\",\"source\":\"cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"rela"
	"time\",\"ro\"]}],\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
	"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\""
	"type\":\"mount\"}],\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/"
	"keys\",\"/proc/latency_stats\",\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_"
	"debug\",\"/sys/firmware\",\"/proc/scsi\"],\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/p"
	"roc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}}";

int ctr_oci_write_default(int fd, struct ctr_err *e)
{
	struct ctr_json *doc = ctr_json_parse(default_spec, sizeof(default_spec) - 1, 0, e);
	struct ctr_json_w w;
	int rc;

	if (!doc)
		return -1;
	ctr_json_w_init(&w, fd, 1);
	ctr_json_w_value(&w, doc);
	rc = ctr_json_w_flush(&w, 1);
	ctr_json_free(doc);
	return rc < 0 ? ctr_err_sys(e, "write", "config.json") : 0;
}

/* `ocirun features`: the fixed part as JSON text, then the lists that
 * come from tables (mount options, capabilities). */
#if defined(__aarch64__)
#define FEAT_ARCH "AARCH64"
#else
#define FEAT_ARCH "X86_64"
#endif
static const char feat_top[] =
	"{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.2.0\",\"hooks\":[\"prestart\","
	"\"createRuntime\",\"createContainer\",\"startContainer\",\"poststart\",\"poststop\"],"
	"\"annotations\":{\"org.opencontainers.runtime-spec.features.name\":\"ocirun (ctrbox)\"}}",
	feat_linux[] =
	"{\"namespaces\":[\"cgroup\",\"ipc\",\"mount\",\"network\",\"pid\",\"time\",\"user\",\"uts\"],"
	"\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false},"
	"\"seccomp\":{\"enabled\":true,\"actions\":[\"SCMP_ACT_ALLOW\",\"SCMP_ACT_ERRNO\","
	"\"SCMP_ACT_KILL\",\"SCMP_ACT_KILL_PROCESS\",\"SCMP_ACT_KILL_THREAD\",\"SCMP_ACT_LOG\","
	"\"SCMP_ACT_TRACE\",\"SCMP_ACT_TRAP\"],\"operators\":[\"SCMP_CMP_EQ\",\"SCMP_CMP_GE\","
	"\"SCMP_CMP_GT\",\"SCMP_CMP_LE\",\"SCMP_CMP_LT\",\"SCMP_CMP_MASKED_EQ\",\"SCMP_CMP_NE\"],"
	"\"archs\":[\"SCMP_ARCH_" FEAT_ARCH "\"],\"knownFlags\":[\"SECCOMP_FILTER_FLAG_TSYNC\","
	"\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
	"\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],\"supportedFlags\":["
	"\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_LOG\","
	"\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]},"
	"\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}}";

/* The members of the object text t, then key and the i-th names of get. */
static int members(struct ctr_json_w *w, const char *t, size_t len, const char *key,
		   const char *(*get)(int))
{
	struct ctr_json *doc = ctr_json_parse(t, len, 0, NULL), *k;
	const char *name;
	int i;

	if (!doc)
		return -1;
	for (k = doc->v.kid; k; k = k->next) {
		ctr_json_w_key(w, k->key);
		ctr_json_w_value(w, k);
	}
	ctr_json_free(doc);
	ctr_json_w_key(w, key);
	ctr_json_w_arr(w);
	for (i = 0; i < 64; i++)
		if ((name = get(i)))
			ctr_json_w_str(w, name);
	ctr_json_w_end(w);
	return 0;
}

static const char *mount_opt(int i)
{
	return ctr_oci_mount_option((size_t)i);
}

int ctr_oci_write_features(int fd)
{
	struct ctr_json_w w;

	ctr_json_w_init(&w, fd, 1);
	ctr_json_w_obj(&w);
	if (members(&w, feat_top, sizeof(feat_top) - 1, "mountOptions", mount_opt) < 0)
		return -1;
	ctr_json_w_key(&w, "linux");
	ctr_json_w_obj(&w);
	if (members(&w, feat_linux, sizeof(feat_linux) - 1, "capabilities", ctr_caps_name) < 0)
		return -1;
	ctr_json_w_end(&w);
	ctr_json_w_end(&w);
	return ctr_json_w_flush(&w, 1);
}
