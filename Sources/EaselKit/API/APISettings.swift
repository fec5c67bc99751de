public import Foundation

/// How to reach the image API: where, with which credentials, and how patiently.
///
/// Read from the environment and the project's `.env` (the real environment wins), with the
/// variable names of OpenAI's SDKs (SPEC §6).
public struct APISettings: Sendable {
    /// How the key is sent.
    public enum Authentication: Sendable, Hashable {
        /// `Authorization: Bearer <key>` (OpenAI and most compatible servers).
        case bearer
        /// `api-key: <key>` (Azure OpenAI).
        case apiKeyHeader
    }

    /// The API root, e.g. `https://api.openai.com/v1`, without a trailing slash.
    public var baseURL: String
    /// The secret. Never printed: ``Redactor`` removes it from every message.
    public var apiKey: String
    public var authentication: Authentication
    public var organization: String?
    public var project: String?
    /// Azure's `api-version`: with it, requests go to `/openai/deployments/<model>/…?api-version=`.
    public var azureAPIVersion: String?
    /// Time allowed for one request, from sending to the last byte of the answer.
    public var requestTimeout: Duration = .seconds(600)
    /// Time allowed to open a connection.
    public var connectTimeout: Duration = .seconds(10)
    /// How many times a failed request is tried again (SPEC §6: 2).
    public var maxRetries = 2
    /// The largest image accepted from a server, in bytes (answers are streamed to disk, so this
    /// bounds the disk an answer may take, not memory).
    public var maxBytesPerImage = 128 << 20
    /// Settings of the project's `.env` that were not used because the key came from the real
    /// environment: a `.env` may say where its own key goes, never where the environment's does.
    public var ignoredDotEnvSettings: [String] = []

    /// OpenAI's public endpoint.
    public static let openAIBaseURL = "https://api.openai.com/v1"

    /// Settings for `baseURL` with `apiKey`, bearer authentication.
    public init(baseURL: String = openAIBaseURL, apiKey: String) {
        self.baseURL = Self.trimmed(baseURL)
        self.apiKey = apiKey
        self.authentication = .bearer
    }

    /// Reads the settings from `environment`, falling back to the variables of `dotEnv`.
    ///
    /// Azure is used when `AZURE_OPENAI_ENDPOINT` and `AZURE_OPENAI_API_KEY` are set: its v1 API
    /// (`<endpoint>/openai/v1`), or the deployments API when `OPENAI_API_VERSION` is set too.
    ///
    /// Where the key is sent comes from where the key comes from: when the key is in the real
    /// environment, a `.env` (which may come with a cloned gallery) cannot set `OPENAI_BASE_URL`
    /// or `AZURE_OPENAI_ENDPOINT` and so send that key to another server; such settings are
    /// listed in ``ignoredDotEnvSettings``.
    /// - Returns: nil when no key is set: the build then makes placeholders.
    public static func resolve(environment: [String: String], dotEnv: [String: String] = [:]) -> APISettings? {
        // Every value ends up in a URL or a header: one holding a control character (a line
        // break smuggling a header in from a .env) is not used.
        func clean(_ found: String?) -> String? {
            found.flatMap {
                $0.trimmingCharacters(in: .whitespaces).isEmpty
                    || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? nil : $0
            }
        }
        func value(_ name: String) -> String? { clean(environment[name]) ?? clean(dotEnv[name]) }
        var ignored: [String] = []
        /// The endpoint setting `name` for the key `keyName`: from `.env` only if the key is too.
        func endpoint(_ name: String, forKey keyName: String) -> String? {
            guard clean(environment[keyName]) != nil else { return value(name) }
            if clean(environment[name]) == nil, clean(dotEnv[name]) != nil { ignored.append(name) }
            return clean(environment[name])
        }
        var settings: APISettings
        if let key = value("AZURE_OPENAI_API_KEY"),
            let endpoint = endpoint("AZURE_OPENAI_ENDPOINT", forKey: "AZURE_OPENAI_API_KEY")
        {
            settings = APISettings(baseURL: trimmed(endpoint) + "/openai", apiKey: key)
            settings.authentication = .apiKeyHeader
            if let version = value("OPENAI_API_VERSION") {
                settings.azureAPIVersion = version
            } else {
                settings.baseURL += "/v1"
            }
        } else if let key = value("OPENAI_API_KEY") {
            let base = endpoint("OPENAI_BASE_URL", forKey: "OPENAI_API_KEY") ?? openAIBaseURL
            settings = APISettings(baseURL: base, apiKey: key)
        } else {
            return nil
        }
        settings.organization = value("OPENAI_ORG_ID")
        settings.project = value("OPENAI_PROJECT_ID")
        settings.ignoredDotEnvSettings = ignored
        return settings
    }

    /// Reads the settings for a project: the process environment, then `<root>/.env`.
    public static func resolve(projectRoot root: URL) -> APISettings? {
        resolve(
            environment: ProcessInfo.processInfo.environment,
            dotEnv: DotEnv.load(root.appendingPathComponent(".env"))
        )
    }

    /// The URL of an endpoint (`images/generations`) for `model`.
    func url(for path: String, model: String) -> String {
        guard let version = azureAPIVersion else { return "\(baseURL)/\(path)" }
        // The model name comes from a prompt: encoded whole, '/' and '..' included, it stays one
        // path segment and cannot walk to another path of the endpoint.
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~")
        let deployment = model.addingPercentEncoding(withAllowedCharacters: unreserved) ?? model
        let query = version.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? version
        return "\(baseURL)/deployments/\(deployment)/\(path)?api-version=\(query)"
    }

    /// Where requests go, for messages: the base URL's host, never a secret.
    public var host: String { URL(string: baseURL)?.host ?? baseURL }

    private static func trimmed(_ url: String) -> String {
        var url = url.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
