// The three ABAW challenges whose annotation sets AbawLayout reads (see ABAW_FORMATS.md).
namespace AffectMae.Core.Data;

/// <summary>An ABAW challenge, i.e. one annotation set of Aff-Wild2.</summary>
public enum AbawTask
{
    /// <summary>Valence-arousal estimation: folder <c>VA_Estimation_Challenge</c>, two floats a frame.</summary>
    ValenceArousal = 0,

    /// <summary>Expression recognition: folder <c>EXPR_Recognition_Challenge</c> (ABAW5: <c>EXPR_Classification_Challenge</c>), one class index a frame.</summary>
    Expression = 1,

    /// <summary>Action-unit detection: folder <c>AU_Detection_Challenge</c>, twelve 0/1 values a frame.</summary>
    ActionUnits = 2,
}
