using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Binds yes/no fields (check boxes). A value a check box cannot send ("maybe", a script tag) is refused with a
/// message, and the field is kept as "false" in the form's state: MVC's check-box helper converts the state's value
/// to a bool when the form is shown again, and would fail on the text instead of showing the message.
/// </summary>
public sealed class CheckBoxBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None) return Task.CompletedTask;

        if (bool.TryParse(posted.FirstValue, out var value))
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
            bindingContext.Result = ModelBindingResult.Success(value);
            return Task.CompletedTask;
        }
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, new ValueProviderResult(bool.FalseString));
        bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, $"{bindingContext.ModelMetadata.GetDisplayName()} must be ticked or left empty.");
        bindingContext.Result = ModelBindingResult.Failed();
        return Task.CompletedTask;
    }
}

public sealed class CheckBoxBinderProvider : IModelBinderProvider
{
    private static readonly CheckBoxBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) => context.Metadata.ModelType == typeof(bool) ? Binder : null;
}
