namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The metric names a PromQL expression selects, found by a small lexer: identifiers that are not
/// functions (followed by '('), keywords or aggregation operators, label names inside {...} or in
/// by/without/on/ignoring/group_left/group_right lists, or durations inside [...]. Quoted strings and
/// Grafana variables ($var, ${var}, $__rate_interval) are skipped.
/// </summary>
public static class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio", "start", "end", "inf", "nan", "Inf", "NaN",
    };

    private static readonly HashSet<string> LabelListKeywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    public static IReadOnlySet<string> In(string expression)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(expression, i);
            }
            else if (c == '{')
            {
                i = AfterClosing(expression, i, '{', '}');
            }
            else if (c == '[')
            {
                i = AfterClosing(expression, i, '[', ']');
            }
            else if (c == '$')
            {
                i = AfterVariable(expression, i);
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                // A number or a duration such as 1e-6, 0.95 or 5m.
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '.' || (expression[i] is '+' or '-' && expression[i - 1] is 'e' or 'E')))
                {
                    i++;
                }
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expression[start..i];
                var next = NextNonSpace(expression, i);
                if (LabelListKeywords.Contains(word) && next < expression.Length && expression[next] == '(')
                {
                    i = AfterClosing(expression, next, '(', ')');
                }
                else if (!Keywords.Contains(word) && !(next < expression.Length && expression[next] == '('))
                {
                    names.Add(word);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    private static int NextNonSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int AfterString(string text, int i)
    {
        var quote = text[i++];
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    private static int AfterClosing(string text, int i, char open, char close)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(text, i);
                continue;
            }

            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        return i;
    }

    private static int AfterVariable(string text, int i)
    {
        i++;
        if (i < text.Length && text[i] == '{')
        {
            return AfterClosing(text, i, '{', '}');
        }

        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i;
    }
}
