// Paper §3.4: one head per ABAW task on the shared temporal features.
using AffectMae.Core.Options;
using AffectMae.Metrics;
using AffectMae.Core.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Per-frame heads for valence/arousal (2 outputs, tanh), expression (8 logits) and action units (12 logits); only the
/// selected tasks' heads exist. State-dict keys: <c>va.fc1.*</c>, <c>va.fc2.*</c>, <c>expr.*</c>, <c>au.*</c> likewise.
/// </summary>
public sealed class TaskHeads : Module<Tensor, AffectPredictions>
{
    private readonly HeadMlp? va;     // null when ValenceArousal is not selected
    private readonly HeadMlp? expr;   // null when Expression is not selected
    private readonly HeadMlp? au;     // null when ActionUnits is not selected

    private readonly TaskHeadsOptions options;

    /// <summary>Builds the selected heads; move them to a device with <c>.to(device)</c>.</summary>
    /// <param name="options">Sizes and tasks; checked by <see cref="TaskHeadsOptionsValidator"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public TaskHeads(TaskHeadsOptions options) : base(nameof(TaskHeads))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new TaskHeadsOptionsValidator(), options, nameof(options));
        InputDim = options.InputDim;
        Tasks = options.Tasks;

        HeadMlp? Head(AffectTask task, int outputs) =>
            options.Tasks.HasFlag(task) ? new HeadMlp(options.InputDim, options.HiddenDim, outputs, options.Dropout) : null;
        va = Head(AffectTask.ValenceArousal, AffectLabels.ValenceArousalCount);
        expr = Head(AffectTask.Expression, AffectLabels.ExpressionClassCount);
        au = Head(AffectTask.ActionUnits, AffectLabels.ActionUnitCount);
        RegisterComponents();
    }

    /// <summary>The options this module was built with (a copy: changing it changes nothing).</summary>
    public TaskHeadsOptions Options => OptionsValidation.Copy(options);

    /// <summary>Width D of the tokens the heads read.</summary>
    public int InputDim { get; }

    /// <summary>The tasks that have a head.</summary>
    public AffectTask Tasks { get; }

    /// <summary>The element type of the weights.</summary>
    internal ScalarType ComputeType => (va ?? expr ?? au)!.ComputeType;

    /// <summary>Predicts every frame.</summary>
    /// <param name="x">Frame tokens [B, T, D].</param>
    /// <returns>The selected tasks' outputs, each [B, T, ·]; the caller disposes them.</returns>
    /// <exception cref="ArgumentException">x does not have D features per frame.</exception>
    public override AffectPredictions forward(Tensor x)
    {
        SequenceChecks.CheckFrames(x, null, InputDim, "TaskHeadsOptions.InputDim");
        using var scope = NewDisposeScope();
        var predictions = new AffectPredictions(
            ValenceArousal: va is null ? null : tanh(va.call(x)),              // (v, a) = tanh(head_va(x))  [B, T, 2]
            Expression: expr?.call(x),                                          // expression logits  [B, T, 8]
            ActionUnits: au?.call(x));                                          // AU logits  [B, T, 12]
        return predictions.MoveToOuter(scope);
    }
}
