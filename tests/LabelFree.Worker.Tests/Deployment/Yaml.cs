using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>Reading YAML documents and walking them by dotted paths ("spec.containers.0.name").</summary>
public static class Yaml
{
    /// <summary>The root node of the single document in <paramref name="text"/>.</summary>
    public static YamlNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Assert.Single(stream.Documents).RootNode;
    }

    /// <summary>The node at the path (mapping keys, or indices into sequences), or null where the path leaves the document.</summary>
    public static YamlNode? At(YamlNode root, string dottedPath)
    {
        var node = root;
        foreach (var segment in dottedPath.Split('.'))
        {
            node = node switch
            {
                YamlMappingNode mapping when mapping.Children.TryGetValue(new YamlScalarNode(segment), out var child) => child,
                YamlSequenceNode sequence when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && index < sequence.Children.Count => sequence.Children[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The scalar text at the path (fails the test when it is missing or not a scalar).</summary>
    public static string Text(YamlNode root, string dottedPath) =>
        (At(root, dottedPath) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"no scalar at {dottedPath}");
}
