namespace LabelFree.Pipeline.Compute;

/// <summary>The largest relative error of one comparison and what it was of, or a problem that makes errors moot.</summary>
internal sealed record KnownAnswerCheck(double Error, string Worst, string? Problem)
{
    public static KnownAnswerCheck Failed(string problem) => new(double.NaN, "", problem);

    public KnownAnswerCheck Worse(KnownAnswerCheck other) => Problem is not null ? this : other.Problem is not null || other.Error > Error ? other : this;
}
