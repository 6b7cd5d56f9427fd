package dev.gunicornjvm.ctl.commands;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies each command's own --timeout default (a reload waits for workers to boot, a quit for a
 * graceful drain), so that one declaration of the option serves every command and --help shows the
 * right number.
 */
public final class TimeoutDefault implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && option.longestName().equals("--timeout")
                && arg.command().userObject() instanceof CtlCommand command) {
            return Long.toString(command.defaultTimeout().toSeconds());
        }
        return null;
    }
}
