import Foundation
import PackagePlugin

/// Embeds the top-level templates/ folder (the built-in theme) into the target as Swift source.
@main
struct ThemePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let templates = context.package.directoryURL.appendingPathComponent("templates", isDirectory: true)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltinTheme.swift")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(
            at: templates,
            includingPropertiesForKeys: [.isRegularFileKey],
            options: [.skipsHiddenFiles]
        ) {
            for case let url as URL in walker
            where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        return [
            .buildCommand(
                displayName: "Embedding the built-in theme (\(inputs.count) files)",
                executable: try context.tool(named: "EmbedTheme").url,
                arguments: [templates.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
