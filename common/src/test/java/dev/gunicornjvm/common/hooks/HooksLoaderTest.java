package dev.gunicornjvm.common.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gunicornjvm.hooks.ServerHooks;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HooksLoaderTest {
    private static List<Path> classpath() {
        try {
            return List.of(Path.of(SampleHooks.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void loadsTheClassInALoaderOfItsOwnThatSharesTheApi() {
        ServerHooks hooks = HooksLoader.load(SampleHooks.class.getName(), classpath());
        assertEquals(SampleHooks.class.getName(), hooks.getClass().getName());
        assertNotSame(SampleHooks.class, hooks.getClass(), "its own loader");
        assertEquals("hooks", hooks.getClass().getClassLoader().getName());
        assertTrue(HooksLoader.overrides(hooks, "preRequest"));
        assertFalse(HooksLoader.overrides(hooks, "postRequest"));
    }

    @Test
    void refusesWithOneLineWhatCannotBeAHooksClass() {
        assertEquals("--hooks class no.Such not found on the classpath (check --hooks and -cp/--classpath)",
                assertThrows(IllegalArgumentException.class, () -> HooksLoader.check("no.Such", classpath())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HooksLoader.check(
                SampleHooks.NotHooks.class.getName(), classpath())).getMessage().contains("does not implement"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HooksLoader.check(
                SampleHooks.NoConstructor.class.getName(), classpath())).getMessage().contains("no-argument constructor"));
        HooksLoader.check(SampleHooks.class.getName(), classpath());
    }

    @Test
    void theServersLibrariesAreHidden() {
        assertThrows(IllegalArgumentException.class, () -> HooksLoader.check(HooksLoader.class.getName(), List.of()),
                "the server's own classes are not on a hooks class's class path");
    }
}
