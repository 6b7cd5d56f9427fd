package dev.gunicornjvm.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of the built distribution, bin/ and lib/ with its Servlet environments (lib/ee11, ...), for
 * tests that break an installation under a running master or run it as another user.
 */
final class Installation {
    private Installation() {
    }

    /** A copy under a 0755 directory, so that another user can read it too. */
    static Path copy() throws IOException {
        Path install = Scratch.dir("gunicorn-install-"); // 0755
        Files.createDirectories(install.resolve("bin"));
        for (String f : List.of("gunicorn", "gunicorn-jvm-env.sh")) {
            Files.copy(Gunicorn.HOME.resolve("bin/" + f), install.resolve("bin/" + f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path lib = Gunicorn.HOME.resolve("dist/target/gunicorn-jvm/lib");
        try (Stream<Path> files = Files.walk(lib)) {
            for (Path file : files.toList()) {
                Files.copy(file, install.resolve("lib").resolve(lib.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return install;
    }

    /** Replaces the master jar by garbage the way installers replace files: a new file moved over it. */
    static void breakMasterJar(Path install) throws IOException {
        try (var jars = Files.list(install.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("gunicorn-master")).toList()) {
                // A jar overwritten in place would break the running master that has it open.
                Path botched = jar.resolveSibling("botched.tmp");
                Files.writeString(botched, "a botched copy");
                Files.move(botched, jar, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
