/* floor-ctrrun.h: what the two halves of bench/floor-ctrrun share: the
 * supervisor (floor-ctrrun.c) and the container's setup (floor-container.c). */
#define MAXH 16
struct hier {
	const char *mnt, *opts, *name;   /* /sys/fs/cgroup/cpu, cpu, cpu */
	int join;                         /* a docker controller: a group */
	char grp[1024];
};

extern struct hier h[MAXH];
extern int nh;
extern char id[65], dir[512], host[13];

int put(const char *path, const char *s, size_t n, int flags);
ssize_t get(const char *path, char *buf, size_t n);
void container(int nullfd, char *img, char **argv);
