package dev.gunicornjvm.master.config;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.Passwd;
import jnr.posix.Group;

/**
 * Turns -u/--user and -g/--group into numbers with the system's user database (getpwnam/getgrnam
 * through jnr-posix, loaded only when those options are given).
 */
final class UserLookup {
    private UserLookup() {
    }

    static Settings.WorkerUser workerUser(String user, String group) {
        if (user == null && group == null) {
            return null;
        }
        POSIX posix = POSIXFactory.getNativePOSIX();
        int uid;
        String userName;
        int defaultGid;
        if (user == null) {
            uid = posix.geteuid();
            Passwd self = posix.getpwuid(uid);
            userName = self == null ? Integer.toString(uid) : self.getLoginName();
            defaultGid = posix.getegid();
        } else {
            Passwd passwd = user.chars().allMatch(Character::isDigit)
                    ? posix.getpwuid(Integer.parseInt(user)) : posix.getpwnam(user);
            if (passwd == null) {
                throw new IllegalArgumentException("-u/--user: no such user '" + user + "' (see /etc/passwd)");
            }
            uid = (int) passwd.getUID();
            userName = passwd.getLoginName();
            defaultGid = (int) passwd.getGID();
        }
        int gid = defaultGid;
        String groupName;
        if (group != null) {
            Group g = group.chars().allMatch(Character::isDigit)
                    ? posix.getgrgid(Integer.parseInt(group)) : posix.getgrnam(group);
            if (g == null) {
                throw new IllegalArgumentException("-g/--group: no such group '" + group + "' (see /etc/group)");
            }
            gid = (int) g.getGID();
            groupName = g.getName();
        } else {
            Group g = posix.getgrgid(gid);
            groupName = g == null ? Integer.toString(gid) : g.getName();
        }
        if (posix.geteuid() != 0 && (uid != posix.geteuid() || gid != posix.getegid())) {
            throw new IllegalArgumentException("-u/--user and -g/--group need the master to start as root"
                    + " (it runs as uid " + posix.geteuid() + ")");
        }
        return new Settings.WorkerUser(userName, uid, groupName, gid);
    }
}
