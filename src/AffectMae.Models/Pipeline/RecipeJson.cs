// The JSON form of a recipe, shared by files and configuration: a preset's JSON with the user's values laid over it.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AffectMae.Core.IO;
using AffectMae.Core.Options;
using AffectMae.Models.IO;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Pipeline;

/// <summary>Reading, writing and copying recipes through one JSON shape (property names as in C#, enums as names).</summary>
internal static class RecipeJson
{
    private const string PresetKey = "Preset";

    /// <summary>The largest recipe or manifest file read (a real one is a few kilobytes).</summary>
    public const long MaxFileBytes = 1 << 20;
    private const string SeedKey = "Seed";

    // Where a recipe's optimisation blocks sit: the three stages', and the authors' models'.
    private static readonly string[][] BlockHolders =
    [
        [nameof(AffectMaeRecipe.Optimization)],
        [AuthorsTemporalOptions.SectionName, nameof(AuthorsTemporalOptions.Optimization)],
    ];

    /// <summary>The serializer settings of recipes and model manifests: indented, enums by name, unknown properties refused.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static T Copy<T>(T value) where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, Options), Options)
        ?? throw new InvalidOperationException($"{typeof(T).Name} could not be copied.");

    public static JsonObject ToJson(AffectMaeRecipe recipe)
    {
        var node = Everything(recipe);
        foreach (var holder in BlockHolders)
        {
            foreach (var (_, block) in At(node, holder) ?? new JsonObject())
                (block as JsonObject)?.Remove(SeedKey);                     // the recipe's Seed is their one home
        }
        return node;
    }

    // Every setting, the stages' seeds included: what a file's values are laid over.
    private static JsonObject Everything(AffectMaeRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return JsonSerializer.SerializeToNode(recipe, Options)!.AsObject();
    }

    public static void Save(AffectMaeRecipe recipe, string path)
    {
        var json = ToJson(recipe).ToJsonString(Options);
        AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(json + "\n")));
    }

    public static AffectMaeRecipe Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!RegularFile.AnythingAt(path))
            throw new FileNotFoundException($"Recipe file '{PrintableText.Escape(path)}' does not exist; give a preset name ({string.Join(", ", AffectMaeRecipe.PresetNames)}) or an existing JSON file.", path);
        return Parse(RegularFile.ReadAllText(path, "Recipe file", MaxFileBytes), path);
    }

    public static AffectMaeRecipe Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? overlay;
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        try
        {
            using (var document = JsonDocument.Parse(json, options))
                RefuseDuplicateKeys(document.RootElement, "", source);
            overlay = JsonNode.Parse(json, documentOptions: options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not valid JSON: {e.Message}", e);
        }
        if (overlay is not JsonObject values)
            throw new InvalidDataException($"{source} must hold a JSON object of recipe settings, e.g. {{ \"Preset\": \"demo\", \"Seed\": 1 }}.");
        return Build(values, source, (target, key, value, path) => target[key] = value?.DeepClone(), validate: true);
    }

    // Settings are matched without regard to case, so "Seed" twice, or "Seed" and "seed", would leave one of two values
    // unused (JsonNode would even throw a bare ArgumentException on the first kind).
    private static void RefuseDuplicateKeys(JsonElement element, string path, string source)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (var item in element.EnumerateArray()) RefuseDuplicateKeys(item, $"{path}[{index++}]", source);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object) return;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            string at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
                throw new InvalidDataException($"{source}: '{PrintableText.Escape(at)}' is set twice (keys are matched without regard to case); keep one.");
            RefuseDuplicateKeys(property.Value, at, source);
        }
    }

    public static AffectMaeRecipe FromConfiguration(IConfiguration section, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(section);
        var values = ToNode(section);
        string source = section is IConfigurationSection named ? $"configuration '{named.Path}'" : "configuration";
        return Build(values, source, (target, key, value, path) => target[key] = Typed(target[key], value, path), validate);
    }

    // Lays `values` over the JSON of the preset they name, propagates the top-level seed, deserialises, validates.
    private static AffectMaeRecipe Build(JsonObject values, string source, Action<JsonObject, string, JsonNode?, string> assign, bool validate)
    {
        string preset = "paper";
        if (values.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, PresetKey, StringComparison.OrdinalIgnoreCase)) is { } key)
        {
            preset = values[key] is JsonValue v && v.TryGetValue(out string? text) ? text : throw new InvalidDataException($"{source}: {PresetKey} must be a preset name ({string.Join(", ", AffectMaeRecipe.PresetNames)}).");
            values = (JsonObject)values.DeepClone();
            values.Remove(key);
        }
        AffectMaeRecipe basis;
        try
        {
            basis = AffectMaeRecipe.Preset(preset);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        var merged = Everything(basis);
        Overlay(merged, values, "", source, assign);
        foreach (var holder in BlockHolders)
        {
            if (merged[SeedKey] is not { } seed || At(merged, holder) is not { } blocks) continue;
            var given = At(values, holder);
            foreach (var (name, block) in blocks)
            {
                if (block is JsonObject stage && (At(given, [name]))?.ContainsKey(SeedKey) != true)
                    stage[SeedKey] = seed.DeepClone();
            }
        }

        AffectMaeRecipe recipe;
        try
        {
            recipe = merged.Deserialize<AffectMaeRecipe>(Options) ?? throw new InvalidDataException($"{source} holds no recipe.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
        var result = validate ? new AffectMaeRecipeValidator().Validate(null, recipe) : ValidateOptionsResult.Success;
        if (result.Failed)
            throw new InvalidDataException($"{source} is not a valid recipe: {string.Join(" ", result.Failures ?? [result.FailureMessage])}");
        return recipe;
    }

    // The object at `path` below `root` (keys matched as Overlay matches them, ignoring case), or null.
    private static JsonObject? At(JsonObject? root, IEnumerable<string> path)
    {
        JsonObject? node = root;
        foreach (string key in path)
            node = node?.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
        return node;
    }

    // Objects merge key by key; anything else (numbers, strings, lists, null) replaces what the preset has.
    private static void Overlay(JsonObject target, JsonObject values, string path, string source, Action<JsonObject, string, JsonNode?, string> assign)
    {
        foreach (var (key, value) in values)
        {
            string at = path.Length == 0 ? key : $"{path}.{key}";
            string? known = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                throw new InvalidDataException($"{source}: '{PrintableText.Escape(at)}' is not a recipe setting; the settings here are {string.Join(", ", target.Select(p => p.Key))}.");
            if (target[known] is JsonObject inner && value is JsonObject innerValues)
                Overlay(inner, innerValues, at, source, assign);
            else
                assign(target, known, value, at);
        }
    }

    // Configuration holds strings; the preset's value says what type a setting has.
    private static JsonNode? Typed(JsonNode? current, JsonNode? value, string path)
    {
        if (value is JsonArray list)
            return new JsonArray([.. list.Select((item, i) => Typed((current as JsonArray)?.FirstOrDefault(), item, $"{path}:{i}"))]);
        if (value is not JsonValue text || !text.TryGetValue(out string? raw)) return value?.DeepClone();
        try
        {
            return current switch
            {
                JsonValue number when number.GetValueKind() == JsonValueKind.Number => JsonValue.Create(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)),
                JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False => JsonValue.Create(bool.Parse(raw)),
                _ => Guess(raw),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"configuration '{path}': '{raw}' is not a {(current as JsonValue)?.GetValueKind().ToString().ToLowerInvariant()}.", e);
        }
    }

    private static JsonValue Guess(string raw) =>
        long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer) ? JsonValue.Create(integer)
        : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) ? JsonValue.Create(real)
        : bool.TryParse(raw, out bool flag) ? JsonValue.Create(flag)
        : JsonValue.Create(raw);

    // A configuration section as JSON: children named 0, 1, 2, … become a list, others an object; leaves stay strings.
    private static JsonObject ToNode(IConfiguration section) => (JsonObject)Node(section)!;

    private static JsonNode? Node(IConfiguration section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
            return new JsonObject();
        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var list = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
                list.Add(child.GetChildren().Any() ? Node(child) : JsonValue.Create(child.Value));
            return list;
        }
        var obj = new JsonObject();
        foreach (var child in children)
            obj[child.Key] = child.GetChildren().Any() ? Node(child) : JsonValue.Create(child.Value);
        return obj;
    }
}
