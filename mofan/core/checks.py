"""System checks of the ground floor: run by every management command, runserver and
`check --deploy`."""

from django.core.checks import Error, register

from mofan.core import keys


@register()
def keys_belong_to_this_database(app_configs=None, **kwargs):
    return [
        Error(message, id="mofan.E001", hint="密钥错误时系统拒绝启动，以免误读或误写数据。")
        for message in keys.check_all(store_new=True)
    ]
