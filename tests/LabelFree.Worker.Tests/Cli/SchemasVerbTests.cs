using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

public sealed class SchemasVerbTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("cli-schemas");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Schemas_writes_one_schema_per_contract_as_the_contracts_give_them()
    {
        var result = LabelFreeProcess.Run("schemas", "--out", _folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var contract in MessageSchemas.Contracts)
        {
            Assert.Equal(MessageSchemas.Of(contract), File.ReadAllText(Path.Combine(_folder, MessageSchemas.FileName(contract))));
        }
    }
}
