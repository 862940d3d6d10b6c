using System.Text;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// A Dockerfile read into stages and instructions, enough to check it without a Docker engine:
/// comments dropped, backslash continuations joined, keywords upper-cased.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(stage => stage.Name == name)
        ?? throw new InvalidOperationException($"The Dockerfile has no stage named '{name}' (stages: {string.Join(", ", Stages.Select(s => s.Name))}).");

    /// <summary>The last stage: the image `docker build` produces without --target.</summary>
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        string? name = null, image = null;
        var instructions = new List<DockerInstruction>();
        foreach (var instruction in Instructions(File.ReadAllLines(path)))
        {
            if (instruction.Keyword == "FROM")
            {
                if (image is not null)
                {
                    stages.Add(new DockerStage(name!, image, instructions));
                }

                var operands = instruction.Operands;
                image = operands[0];
                name = operands.Count >= 3 && operands[1].Equals("AS", StringComparison.OrdinalIgnoreCase)
                    ? operands[2]
                    : stages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                instructions = [];
            }
            else if (image is not null)
            {
                instructions.Add(instruction);
            }
        }

        if (image is not null)
        {
            stages.Add(new DockerStage(name!, image, instructions));
        }

        return new Dockerfile(stages);
    }

    private static IEnumerable<DockerInstruction> Instructions(string[] lines)
    {
        var text = new StringBuilder();
        var firstLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#') || (text.Length == 0 && line.Length == 0))
            {
                continue;
            }

            if (text.Length == 0)
            {
                firstLine = i + 1;
            }

            var continues = line.EndsWith('\\');
            text.Append(continues ? line[..^1] : line).Append(' ');
            if (!continues)
            {
                var joined = text.ToString().Trim();
                text.Clear();
                var space = joined.IndexOf(' ', StringComparison.Ordinal);
                yield return space < 0
                    ? new DockerInstruction(joined.ToUpperInvariant(), "", firstLine)
                    : new DockerInstruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), firstLine);
            }
        }
    }
}
