namespace LabelFree.Worker.Tests.Deployment;

/// <summary>One build stage of a Dockerfile: from FROM up to the next FROM.</summary>
public sealed record DockerStage(string Name, string BaseImage, IReadOnlyList<DockerInstruction> Instructions)
{
    /// <summary>Every instruction with this keyword, in order.</summary>
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword);

    /// <summary>The one instruction with this keyword (the last one wins in Docker, so more than one is a mistake here).</summary>
    public DockerInstruction Single(string keyword) => Assert.Single(All(keyword));

    /// <summary>The RUN instruction whose command contains <paramref name="command"/>.</summary>
    public DockerInstruction Run(string command) =>
        Assert.Single(All("RUN"), run => run.Arguments.Contains(command, StringComparison.Ordinal));

    /// <summary>ENV variables set in this stage (KEY=value pairs, later ones win).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in All("ENV").SelectMany(env => env.Operands))
        {
            var parts = pair.Split('=', 2);
            variables[parts[0]] = parts.Length > 1 ? parts[1] : "";
        }

        return variables;
    }
}
