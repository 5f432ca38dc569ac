import { principalOf } from './principal.js';
import { editor } from './presenters.js';
import type { HandlerContext } from './services.js';
import type { Handler } from './types.js';

export function authHandlers({ services, loginThrottle }: HandlerContext) {
  const login: Handler<'login'> = async (req, res) => {
    const { email, password } = req.body;
    res.json(await loginThrottle.attempt(email, req.ip ?? '', () => services.auth.login(email, password)));
  };

  const refreshToken: Handler<'refreshToken'> = async (req, res) => {
    res.json(await services.auth.refresh(req.body.refresh_token));
  };

  const logout: Handler<'logout'> = async (req, res) => {
    await services.auth.logout(req.body.refresh_token);
    res.status(204).end();
  };

  const getMe: Handler<'getMe'> = async (req, res) => {
    res.json(editor(await services.editors.get(principalOf(req).id)));
  };

  const changeOwnPassword: Handler<'changeOwnPassword'> = async (req, res) => {
    const principal = principalOf(req);
    await loginThrottle.passwordChange(principal.id, req.ip ?? '', () =>
      services.editors.changeOwnPassword(principal, req.body.current_password, req.body.new_password),
    );
    res.status(204).end();
  };

  return { login, refreshToken, logout, getMe, changeOwnPassword };
}
