using System.Text.Json.Nodes;

namespace LabelFree.Messages.Tests;

/// <summary>
/// docs/schemas is what clients in other languages validate against, and docs/messages.md is what their authors
/// read: both must say what the records say. After changing a contract run `labelfree schemas --out docs/schemas`
/// and describe every new property in docs/messages.md.
/// </summary>
public class MessageSchemaTests
{
    public static TheoryData<string> Contracts => new(MessageSchemas.Contracts.Select(contract => contract.Name));

    [Theory]
    [MemberData(nameof(Contracts))]
    public void The_committed_schema_is_the_one_the_contract_gives(string name)
    {
        var contract = MessageSchemas.Contracts.Single(c => c.Name == name);
        var path = Path.Combine(RepositoryRoot(), "docs", "schemas", MessageSchemas.FileName(contract));

        Assert.True(File.Exists(path), $"{path} is missing: run `labelfree schemas --out docs/schemas`.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == MessageSchemas.Of(contract),
            $"{path} no longer matches {name}: run `labelfree schemas --out docs/schemas` and commit the result.");
    }

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Every_property_of_the_contract_is_described_in_messages_md(string name)
    {
        var contract = MessageSchemas.Contracts.Single(c => c.Name == name);
        var documentation = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "messages.md"));
        var schema = JsonNode.Parse(MessageSchemas.Of(contract))!;

        var undocumented = PropertyNames(schema).Distinct(StringComparer.Ordinal)
            .Where(property => !documentation.Contains($"`{property}`", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(undocumented.Length == 0, $"docs/messages.md does not mention {string.Join(", ", undocumented.Select(p => $"`{p}`"))} of {name}.");
    }

    [Fact]
    public void The_schema_marks_the_required_properties_and_spells_enums_as_strings()
    {
        var schema = JsonNode.Parse(MessageSchemas.Of(typeof(StackAcquired)))!;

        var required = schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Contains("stackId", required);
        Assert.DoesNotContain("voxelSizeOverride", required);
        var modalities = schema["properties"]!["modality"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(Enum.GetNames<Modality>(), modalities);
    }

    // Every key of every "properties" object, nested records included.
    private static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(pair => pair.Key == "properties" && pair.Value is JsonObject properties
            ? properties.Select(p => p.Key).Concat(properties.SelectMany(p => PropertyNames(p.Value)))
            : PropertyNames(pair.Value)),
        JsonArray array => array.SelectMany(PropertyNames),
        _ => [],
    };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LabelFree.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LabelFree.sln above {AppContext.BaseDirectory}.");
    }
}
