package dev.gunicornjvm.worker.app;

import java.util.List;

/**
 * What a deployment found, for {@code gunicorn --check-config}: what a person needs to see to trust
 * that the app will run as it does elsewhere.
 *
 * @param deployedIn   where it runs: environment and context path
 * @param initializers the ServletContainerInitializers that ran, by class
 */
public record DeploymentReport(String deployedIn, List<String> initializers, List<Component> servlets,
                               List<Component> filters, List<String> listeners, List<String> welcomeFiles) {
    public DeploymentReport {
        initializers = List.copyOf(initializers);
        servlets = List.copyOf(servlets);
        filters = List.copyOf(filters);
        listeners = List.copyOf(listeners);
        welcomeFiles = List.copyOf(welcomeFiles);
    }

    /** A servlet or filter: its name, its class, and what it is mapped to. */
    public record Component(String name, String className, List<String> mappings) {
        public Component {
            mappings = List.copyOf(mappings);
        }

        @Override
        public String toString() {
            return name + " (" + className + ")" + (mappings.isEmpty() ? "" : " -> " + String.join(", ", mappings));
        }
    }

    /** One heading per kind, one line per item, as --check-config prints it. */
    public String render() {
        StringBuilder b = new StringBuilder("Deployed in ").append(deployedIn).append('\n');
        section(b, "Initializers", initializers);
        section(b, "Servlets", servlets.stream().map(Component::toString).toList());
        section(b, "Filters", filters.stream().map(Component::toString).toList());
        section(b, "Listeners", listeners);
        section(b, "Welcome files", welcomeFiles);
        return b.toString();
    }

    private static void section(StringBuilder b, String heading, List<String> items) {
        b.append(heading).append(": ").append(items.isEmpty() ? "none" : items.size()).append('\n');
        items.forEach(item -> b.append("  ").append(item).append('\n'));
    }
}
