using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>A Helm chart read as text and YAML: its values, its templates, the values they use, their skeletons.</summary>
public sealed partial class HelmChart
{
    private HelmChart(string folder, string valuesText, YamlMappingNode values, IReadOnlyDictionary<string, string> templates)
    {
        Folder = folder;
        ValuesText = valuesText;
        Values = values;
        Templates = templates;
    }

    public string Folder { get; }

    public string ValuesText { get; }

    public YamlMappingNode Values { get; }

    /// <summary>Every file under templates/, by file name.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; }

    public static HelmChart Load(string folder)
    {
        var valuesText = File.ReadAllText(Path.Combine(folder, "values.yaml"));
        var templates = Directory.EnumerateFiles(Path.Combine(folder, "templates"))
            .ToDictionary(path => Path.GetFileName(path), path => File.ReadAllText(path), StringComparer.Ordinal);
        return new HelmChart(folder, valuesText, (YamlMappingNode)Yaml.Parse(valuesText), templates);
    }

    /// <summary>(template file, "a.b.c") for every .Values.a.b.c inside a template action, $.Values included.</summary>
    public IEnumerable<(string File, string Path)> ValuesReferences() =>
        from template in Templates
        from action in ActionText().Matches(template.Value)
        from reference in ValuesPath().Matches(action.Value)
        select (template.Key, reference.Groups[1].Value.TrimStart('.'));

    /// <summary>The node at a dotted path of values.yaml, or null when the path does not exist.</summary>
    public YamlNode? Value(string dottedPath) => Yaml.At(Values, dottedPath);

    public double Number(string dottedPath) =>
        double.Parse(((YamlScalarNode)(Value(dottedPath) ?? throw new KeyNotFoundException(dottedPath))).Value!, CultureInfo.InvariantCulture);

    /// <summary>The template's YAML with every action removed (see <see cref="TemplateSkeleton"/>).</summary>
    public YamlMappingNode Skeleton(string templateFile)
    {
        var skeleton = TemplateSkeleton.Of(Templates[templateFile]);
        try
        {
            return (YamlMappingNode)Yaml.Parse(skeleton);
        }
        catch (YamlException e)
        {
            var line = skeleton.Split('\n').ElementAtOrDefault(checked((int)e.Start.Line) - 1);
            throw new Xunit.Sdk.XunitException($"{templateFile}: {e.Message} at skeleton line {e.Start.Line}: '{line}'");
        }
    }

    /// <summary>The body of {{ define "name" }} ... {{ end }} in any template file, nested blocks included.</summary>
    public string Define(string name)
    {
        foreach (var text in Templates.Values)
        {
            var defined = text.IndexOf($"define \"{name}\"", StringComparison.Ordinal);
            if (defined < 0)
            {
                continue;
            }

            // Start at the define action itself, so it opens the first block.
            var start = text.LastIndexOf("{{", defined, StringComparison.Ordinal);

            var depth = 0;
            foreach (Match action in ActionText().Matches(text, start))
            {
                var words = action.Groups[1].Value.Trim().Split(' ', 2);
                if (words[0] is "if" or "range" or "with" or "define" or "block")
                {
                    depth++;
                }
                else if (words[0] == "end" && --depth == 0)
                {
                    return text[start..action.Index];
                }
            }
        }

        throw new KeyNotFoundException($"no template defines \"{name}\"");
    }

    [GeneratedRegex(@"\{\{-?(.*?)-?\}\}", RegexOptions.Singleline)]
    private static partial Regex ActionText();

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesPath();
}
