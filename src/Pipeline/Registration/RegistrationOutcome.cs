namespace LabelFree.Pipeline.Registration;

/// <summary>What a registration attempt concluded. Every value is a normal result, not an error.</summary>
public enum RegistrationOutcome
{
    /// <summary>The refinement converged and the registered images agree (quality at or above the minimum).</summary>
    Registered,

    /// <summary>The moving image has too little content to register (METHOD §7 step 4); nothing was attempted.</summary>
    InsufficientContent,

    /// <summary>
    /// No trustworthy transform: the rough placement was not unique, the refinement did not settle or left the fixed
    /// image, or the registered images correlate below the minimum quality. The reason says which.
    /// </summary>
    NotConverged,
}
