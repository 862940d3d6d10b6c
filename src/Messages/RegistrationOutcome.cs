using System.Text.Json.Serialization;

namespace LabelFree.Messages;

/// <summary>How an EM-to-IF registration ended. Serialised as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RegistrationOutcome>))]
public enum RegistrationOutcome
{
    /// <summary>The transform was found and converged.</summary>
    Registered,

    /// <summary>Too little of the prediction has content (at most 1 % of pixels above half the maximum) to register.</summary>
    InsufficientContent,

    /// <summary>The optical-flow refinement did not converge; the transform is the rough estimate, if any.</summary>
    NotConverged,
}
