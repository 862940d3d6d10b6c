namespace LabelFree.Worker.Cli;

/// <summary>Exit codes of every verb: scripts and schedulers rely on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed (bad input file, failed prediction, rejected stacks).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown option, missing argument, invalid value).</summary>
    public const int Usage = 2;
}
