using AffectMae.Core.Data;
using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Temporal;

/// <summary>Sizes of the <see cref="TaskHeads"/> and which tasks get a head; checked by <see cref="TaskHeadsOptionsValidator"/>.</summary>
public sealed class TaskHeadsOptions
{
    /// <summary>The configuration section of these options within their parent (<c>AffectMae:Recipe:SequenceModel:Heads</c>).</summary>
    public const string SectionName = "Heads";

    /// <summary>Width D of the frame tokens the heads read.</summary>
    /// <value>The default value is 512.</value>
    [Range(1, int.MaxValue, ErrorMessage = "TaskHeadsOptions.InputDim must be at least 1: set it to the width of the temporal encoder's output (SegmentTransformerOptions.DModel).")]
    public int InputDim { get; set; } = 512;

    /// <summary>Hidden width of each head.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, int.MaxValue, ErrorMessage = "TaskHeadsOptions.HiddenDim must be at least 1, e.g. half of InputDim.")]
    public int HiddenDim { get; set; } = 256;

    /// <summary>Dropout probability on each head's hidden layer.</summary>
    /// <value>The default value is 0.1.</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "TaskHeadsOptions.Dropout must lie in [0, 1); use 0 to switch dropout off.")]
    public double Dropout { get; set; } = 0.1;

    /// <summary>The tasks that get a head.</summary>
    /// <value>The default value is <see cref="AffectTask.All"/>.</value>
    public AffectTask Tasks { get; set; } = AffectTask.All;

    /// <summary>Heads of hidden width 256 on 512-d tokens for all three tasks (a chosen default; the paper gives no sizes).</summary>
    public static TaskHeadsOptions Base512 => new() { InputDim = 512, HiddenDim = 256, Dropout = 0.1, Tasks = AffectTask.All };

    /// <summary>The tiny configuration of the parity fixtures: 24-d tokens, hidden width 16, all three tasks.</summary>
    public static TaskHeadsOptions Tiny24 => new() { InputDim = 24, HiddenDim = 16, Dropout = 0.1, Tasks = AffectTask.All };
}
