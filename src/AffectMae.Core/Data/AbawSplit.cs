// The official ABAW partitions, one folder each inside every annotation set.
namespace AffectMae.Core.Data;

/// <summary>An official ABAW partition of the annotated videos.</summary>
public enum AbawSplit
{
    /// <summary>The training videos: folder <c>Train_Set</c>.</summary>
    Train = 0,

    /// <summary>The validation videos: folder <c>Validation_Set</c>.</summary>
    Validation = 1,
}
