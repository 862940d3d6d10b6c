using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>Finds values.yaml keys that carry no comment on the line above or at the end of their own line.</summary>
public static class ValuesComments
{
    /// <summary>"line N: key" for every mapping key, at any depth and in list items, without a comment.</summary>
    public static IReadOnlyList<string> UndocumentedKeys(string valuesText)
    {
        var lines = valuesText.Split('\n');
        var undocumented = new List<string>();
        foreach (var (key, line) in Keys(valuesText))
        {
            var above = line >= 2 ? lines[line - 2].Trim() : "";
            if (!above.StartsWith('#') && !HasInlineComment(lines[line - 1]))
            {
                undocumented.Add($"line {line}: {key}");
            }
        }

        return undocumented;
    }

    // Every mapping key with its 1-based line, from the parser's events: a scalar read where a mapping expects a key.
    private static List<(string Key, int Line)> Keys(string text)
    {
        var keys = new List<(string, int)>();
        var open = new Stack<Container>();
        var parser = new Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case Scalar scalar when open.TryPeek(out var mapping) && mapping.IsMapping && mapping.ExpectsKey:
                    keys.Add((scalar.Value, checked((int)scalar.Start.Line)));
                    mapping.ExpectsKey = false;
                    break;
                case Scalar or AnchorAlias:
                    ValueRead(open);
                    break;
                case MappingStart:
                    ValueRead(open);
                    open.Push(new Container(IsMapping: true));
                    break;
                case SequenceStart:
                    ValueRead(open);
                    open.Push(new Container(IsMapping: false));
                    break;
                case MappingEnd or SequenceEnd:
                    open.Pop();
                    break;
            }
        }

        return keys;
    }

    private static void ValueRead(Stack<Container> open)
    {
        if (open.TryPeek(out var parent) && parent.IsMapping)
        {
            parent.ExpectsKey = true;
        }
    }

    // A '#' after whitespace, outside quotes, starts a YAML comment.
    private static bool HasInlineComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && (c == '"' || c == '\''))
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = null;
            }
            else if (quote is null && c == '#' && i > 0 && char.IsWhiteSpace(line[i - 1]))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Container(bool IsMapping)
    {
        public bool ExpectsKey { get; set; } = IsMapping;
    }
}
