import Foundation
import Testing

@testable import EaselKit

struct APISettingsTests {
    @Test func dotEnvReadsTheCommonForms() {
        let values = DotEnv.parse(
            """
            # a comment
            OPENAI_API_KEY=sk-from-file
            export OPENAI_BASE_URL="http://127.0.0.1:8089/v1"  
            OPENAI_ORG_ID='org-123' 
            OPENAI_PROJECT_ID=proj_1 # trailing comment
            QUOTED="a \\"b\\"\\nc"
            not an assignment
            """
        )
        #expect(values["OPENAI_API_KEY"] == "sk-from-file")
        #expect(values["OPENAI_BASE_URL"] == "http://127.0.0.1:8089/v1")
        #expect(values["OPENAI_ORG_ID"] == "org-123")
        #expect(values["OPENAI_PROJECT_ID"] == "proj_1")
        #expect(values["QUOTED"] == "a \"b\"\nc")
        #expect(values.count == 5)
    }

    @Test func theRealEnvironmentWinsOverDotEnv() throws {
        let settings = try #require(
            APISettings.resolve(
                environment: ["OPENAI_API_KEY": "sk-env"],
                dotEnv: [
                    "OPENAI_API_KEY": "sk-file", "OPENAI_BASE_URL": "http://localhost:8089/v1/", "OPENAI_ORG_ID": "org",
                ]
            )
        )
        #expect(settings.apiKey == "sk-env")
        // The environment's key never goes where a .env (perhaps a cloned gallery's) points it.
        #expect(settings.baseURL == APISettings.openAIBaseURL)
        #expect(settings.ignoredDotEnvSettings == ["OPENAI_BASE_URL"])
        #expect(settings.organization == "org")
        #expect(settings.authentication == .bearer)
    }

    @Test func aModelNameStaysOneSegmentOfTheDeploymentsPath() throws {
        var settings = APISettings(baseURL: "https://res.openai.azure.com/openai", apiKey: "k")
        settings.azureAPIVersion = "2025-04-01-preview"
        let url = settings.url(for: "images/generations", model: "../../other/deployments/x")
        #expect(url.hasPrefix("https://res.openai.azure.com/openai/deployments/%2E%2E%2F%2E%2E%2Fother%2F"))
        #expect(!url.contains("/../"))
    }

    @Test func aValueWithALineBreakIsNeverSentAsAHeader() throws {
        let settings = try #require(
            APISettings.resolve(
                environment: [:],
                dotEnv: ["OPENAI_API_KEY": "sk-a", "OPENAI_ORG_ID": "org\r\nX-Evil: 1"]
            )
        )
        #expect(settings.organization == nil)
    }

    @Test func aDotEnvChoosesTheServerForItsOwnKey() throws {
        let settings = try #require(
            APISettings.resolve(
                environment: [:],
                dotEnv: ["OPENAI_API_KEY": "sk-file", "OPENAI_BASE_URL": "http://localhost:8089/v1/"]
            )
        )
        #expect(settings.apiKey == "sk-file" && settings.baseURL == "http://localhost:8089/v1")
        #expect(settings.ignoredDotEnvSettings.isEmpty)
    }

    @Test func aDotEnvCannotPointTheEnvironmentsAzureKeyElsewhere() throws {
        let settings = APISettings.resolve(
            environment: ["AZURE_OPENAI_API_KEY": "azure-key-from-env"],
            dotEnv: ["AZURE_OPENAI_ENDPOINT": "https://evil.example.com"]
        )
        #expect(settings == nil, "without a trusted endpoint there is nowhere to send the key")
        let both = try #require(
            APISettings.resolve(
                environment: [
                    "AZURE_OPENAI_API_KEY": "azure-key", "AZURE_OPENAI_ENDPOINT": "https://mine.openai.azure.com",
                ],
                dotEnv: ["AZURE_OPENAI_ENDPOINT": "https://evil.example.com"]
            )
        )
        #expect(both.baseURL == "https://mine.openai.azure.com/openai/v1")
    }

    @Test func noKeyMeansNoSettings() {
        #expect(
            APISettings.resolve(environment: ["OPENAI_BASE_URL": "http://x/v1"], dotEnv: ["OPENAI_API_KEY": " "]) == nil
        )
    }

    @Test func azureUsesItsV1APIUnlessAnAPIVersionIsSet() throws {
        let v1 = try #require(
            APISettings.resolve(environment: [
                "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com/", "AZURE_OPENAI_API_KEY": "k",
            ])
        )
        #expect(v1.url(for: "images/edits", model: "dep") == "https://res.openai.azure.com/openai/v1/images/edits")
        #expect(v1.authentication == .apiKeyHeader)
        let deployments = try #require(
            APISettings.resolve(environment: [
                "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com", "AZURE_OPENAI_API_KEY": "k",
                "OPENAI_API_VERSION": "2025-04-01-preview",
            ])
        )
        #expect(
            deployments.url(for: "images/generations", model: "my image")
                == "https://res.openai.azure.com/openai/deployments/my%20image/images/generations?api-version=2025-04-01-preview"
        )
    }
}
