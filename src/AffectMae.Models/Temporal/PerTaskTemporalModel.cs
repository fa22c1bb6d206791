// The authors train one model per task (upczww/abaw6: VA/, EXPR/ and AU/ each train and test their own model; no
// licence: facts only, our own code). This joins such models into one TemporalAffectModel, so a bundle, the recognizer
// and the evaluator take them as they take our multi-task model.
using AffectMae.Core.Data;
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>
/// One temporal model a task, joined: each task's output comes from its own model, run on the same windows (e.g. the
/// authors' three <see cref="AuthorsTemporalModel"/>s). Tasks without a model are not predicted (null in the
/// <see cref="AffectPredictions"/>). State-dict keys: <c>va.*</c>, <c>expr.*</c>, <c>au.*</c> (<see cref="KeyOf"/>),
/// each the key set of its model. Disposing it disposes the models.
/// </summary>
public sealed class PerTaskTemporalModel : TemporalAffectModel
{
    private readonly TemporalAffectModel? va;     // valence/arousal
    private readonly TemporalAffectModel? expr;   // expressions
    private readonly TemporalAffectModel? au;     // action units

    /// <summary>Joins <paramref name="models"/>; it takes ownership of them.</summary>
    /// <param name="models">One model a task, each predicting exactly one task (its <see cref="TemporalAffectModel.Tasks"/>), all reading features of one size.</param>
    /// <exception cref="ArgumentException">No model is given, a model predicts several tasks or one another model already predicts, or the models read features of different sizes.</exception>
    public PerTaskTemporalModel(IEnumerable<TemporalAffectModel> models) : base(nameof(PerTaskTemporalModel))
    {
        ArgumentNullException.ThrowIfNull(models);
        var given = models.ToList();
        if (given.Count == 0)
            throw new ArgumentException("Give at least one model (one a task).", nameof(models));
        foreach (var model in given)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (!AffectTasks.IsSingle(model.Tasks))
                throw new ArgumentException($"{model.GetName()} predicts {model.Tasks}; each model of a {nameof(PerTaskTemporalModel)} predicts exactly one task.", nameof(models));
            if (given.Count(m => m.Tasks == model.Tasks) > 1)
                throw new ArgumentException($"Two models predict {model.Tasks}; give one model a task.", nameof(models));
            if (model.InputDim != given[0].InputDim)
                throw new ArgumentException($"The models read features of {given[0].InputDim} and {model.InputDim} values a frame; they must read the same features.", nameof(models));
        }
        va = given.SingleOrDefault(m => m.Tasks == AffectTask.ValenceArousal);
        expr = given.SingleOrDefault(m => m.Tasks == AffectTask.Expression);
        au = given.SingleOrDefault(m => m.Tasks == AffectTask.ActionUnits);
        InputDim = given[0].InputDim;
        Tasks = given.Aggregate(AffectTask.None, (tasks, m) => tasks | m.Tasks);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int InputDim { get; }

    /// <inheritdoc />
    public override AffectTask Tasks { get; }

    /// <inheritdoc />
    public override bool BoundsValenceArousal => va?.BoundsValenceArousal ?? true;

    /// <inheritdoc />
    protected internal override IEnumerable<nn.Module> Float32Parts => Models.SelectMany(m => m.Float32Parts);

    /// <summary>The models in task order (valence/arousal, expression, action units).</summary>
    public IReadOnlyList<TemporalAffectModel> Models => new[] { va, expr, au }.OfType<TemporalAffectModel>().ToList();

    /// <summary>The model of <paramref name="task"/>, or null when the task is not predicted.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public TemporalAffectModel? ModelOf(AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => va,
        AffectTask.Expression => expr,
        AffectTask.ActionUnits => au,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Give exactly one task: ValenceArousal, Expression or ActionUnits."),
    };

    /// <summary>The state-dict prefix of a task's model: <c>va</c>, <c>expr</c> or <c>au</c>.</summary>
    /// <param name="task">ValenceArousal, Expression or ActionUnits.</param>
    public static string KeyOf(AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => nameof(va),
        AffectTask.Expression => nameof(expr),
        AffectTask.ActionUnits => nameof(au),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Give exactly one task: ValenceArousal, Expression or ActionUnits."),
    };

    /// <summary>Runs every task's model on the windows and keeps each one's own task.</summary>
    /// <param name="x">Frame features [B, T, D].</param>
    /// <param name="valid">Bool [B, T], true for a real frame; <see langword="null"/> when every frame is real.</param>
    /// <returns>The tasks' outputs, each [B, T, ·]; the caller disposes them.</returns>
    public override AffectPredictions forward(Tensor x, Tensor? valid)
    {
        using var scope = NewDisposeScope();
        var joined = new AffectPredictions(
            Own(va, x, valid, p => p.ValenceArousal),                           // [B, T, 2]
            Own(expr, x, valid, p => p.Expression),                             // [B, T, 8]
            Own(au, x, valid, p => p.ActionUnits));                             // [B, T, 12]
        return joined.MoveToOuter(scope);
    }

    private static Tensor? Own(TemporalAffectModel? model, Tensor x, Tensor? valid, Func<AffectPredictions, Tensor?> task) =>
        model is null ? null : task(model.call(x, valid));
}
