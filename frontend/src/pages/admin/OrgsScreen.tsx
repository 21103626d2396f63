// Organizations and teams: districts and their schools, the teams of each
// school, and a team's members and coaches (added by email).

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { AdminOrg, AdminTeam, TeamPeople, TeamPerson } from '../../api/types';
import { teacherMessage } from '../../api/errors';

export function OrgsScreen() {
  const [orgs, setOrgs] = useState<AdminOrg[]>([]);
  const [teams, setTeams] = useState<AdminTeam[]>([]);
  const [open, setOpen] = useState<AdminTeam | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const [o, t] = await Promise.all([api.orgs(), api.teams()]);
      setOrgs(o.organizations);
      setTeams(t.teams);
      setError('');
    } catch (e) {
      setError(teacherMessage(e, 'Organizations could not be loaded.'));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const orgName = (id: string | null) => orgs.find((o) => o.id === id)?.name ?? '';
  const changed = async (message: string) => {
    setStatus(message);
    setError('');
    await load();
  };

  return (
    <section aria-labelledby="orgs-title">
      <h1 id="orgs-title" tabIndex={-1}>Organizations and teams</h1>
      <p role="status" className="status-text">{status}</p>
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="columns">
        <NewOrg districts={orgs.filter((o) => o.kind === 'district')} onDone={changed} onError={setError} />
        <NewTeam schools={orgs} onDone={changed} onError={setError} />
      </div>

      <h2>Districts and schools</h2>
      {orgs.length === 0 ? <p>No organizations yet: add a district or a school above.</p> : (
        // scrolls sideways on a phone: reachable by keyboard
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Districts and schools (scrolls)">
          <table>
            <caption className="visually-hidden">Districts and schools</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">District</th><th scope="col">People</th><th scope="col">Teams</th></tr></thead>
            <tbody>
              {orgs.map((o) => (
                <tr key={o.id}>
                  <td>{o.name}</td>
                  <td>{o.kind === 'district' ? 'District' : 'School'}</td>
                  <td>{orgName(o.parent_id)}</td>
                  <td>{o.user_count ?? 0}</td>
                  <td>{o.team_count ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Teams</h2>
      {teams.length === 0 ? <p>No teams yet.</p> : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Teams</caption>
            <thead><tr><th scope="col">Team</th><th scope="col">School</th><th scope="col">Members</th><th scope="col">Coaches</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{orgName(t.organization_id)}</td>
                  <td>{t.member_count ?? 0}</td>
                  <td>{(t.coaches ?? []).map((c) => c.name).join(', ')}</td>
                  <td><button type="button" className="small" aria-expanded={open?.id === t.id}
                    onClick={() => setOpen(open?.id === t.id ? null : t)}>{open?.id === t.id ? `Close ${t.name}` : `People of ${t.name}`}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <TeamPeoplePanel key={open.id} team={open} onChanged={changed} onError={setError} />}
    </section>
  );
}

function NewOrg({ districts, onDone, onError }: { districts: AdminOrg[]; onDone: (m: string) => Promise<void>; onError: (m: string) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'district' | 'school'>('school');
  const [parent, setParent] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.createOrg({ name: name.trim(), kind, ...(kind === 'school' && parent ? { parent_id: parent } : {}) });
      setName('');
      await onDone(`${kind === 'district' ? 'District' : 'School'} ${name.trim()} was added.`);
    } catch (err) {
      onError(err instanceof ApiError && err.status === 409
        ? 'An organization with this name exists already.' : teacherMessage(err, 'The organization could not be added.'));
    }
  };

  return (
    <form onSubmit={submit} className="stack narrow" aria-labelledby="new-org-title">
      <h2 id="new-org-title">Add a district or school</h2>
      <label htmlFor="org-name">Name</label>
      <input id="org-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="org-kind">Kind</label>
      <select id="org-kind" value={kind} onChange={(e) => setKind(e.target.value as 'district' | 'school')}>
        <option value="school">School</option>
        <option value="district">District</option>
      </select>
      {kind === 'school' && (
        <>
          <label htmlFor="org-parent">In the district</label>
          <select id="org-parent" value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">None</option>
            {districts.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </>
      )}
      <button type="submit" className="primary">Add the organization</button>
    </form>
  );
}

function NewTeam({ schools, onDone, onError }: { schools: AdminOrg[]; onDone: (m: string) => Promise<void>; onError: (m: string) => void }) {
  const [name, setName] = useState('');
  const [org, setOrg] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!org) {
      onError('Choose the school the team belongs to.');
      return;
    }
    try {
      await api.createTeam({ organization_id: org, name: name.trim() });
      setName('');
      await onDone(`Team ${name.trim()} was added.`);
    } catch (err) {
      onError(err instanceof ApiError && err.status === 409
        ? 'This school has a team of that name already.' : teacherMessage(err, 'The team could not be added.'));
    }
  };

  return (
    <form onSubmit={submit} className="stack narrow" aria-labelledby="new-team-title">
      <h2 id="new-team-title">Add a team</h2>
      <label htmlFor="team-org">School</label>
      <select id="team-org" value={org} onChange={(e) => setOrg(e.target.value)}>
        <option value="">Choose…</option>
        {schools.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
      <label htmlFor="team-name">Team name</label>
      <input id="team-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="primary">Add the team</button>
    </form>
  );
}

function TeamPeoplePanel({ team, onChanged, onError }: { team: AdminTeam; onChanged: (m: string) => Promise<void>; onError: (m: string) => void }) {
  const [people, setPeople] = useState<TeamPeople | null>(null);
  const [email, setEmail] = useState('');
  const [as, setAs] = useState<'members' | 'coaches'>('members');

  const load = useCallback(async () => {
    try {
      setPeople(await api.teamPeople(team.id));
    } catch (e) {
      onError(teacherMessage(e, 'The team could not be loaded.'));
    }
  }, [team.id, onError]);

  useEffect(() => {
    void load();
  }, [load]);

  const change = async (p: TeamPerson, what: 'members' | 'coaches', add: boolean) => {
    try {
      await api.setTeamPerson(team.id, p.id, what, add);
      await load();
      await onChanged(`${p.email} ${add ? 'was added to' : 'was removed from'} ${team.name} as ${what === 'coaches' ? 'a coach' : 'a member'}.`);
    } catch (e) {
      onError(e instanceof ApiError && e.status === 400 && what === 'coaches'
        ? 'Only a coach or an admin can coach a team: change their role first.' : teacherMessage(e, 'The team could not be changed.'));
    }
  };

  // Finds the account by its exact email (the user search matches parts).
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const wanted = email.trim().toLowerCase();
    try {
      const r = await api.users(wanted);
      const u = r.users.find((x) => x.email.toLowerCase() === wanted);
      if (!u) {
        onError(`Nobody has the email ${email.trim()}: add them under Users first.`);
        return;
      }
      setEmail('');
      await change({ id: u.id, name: u.name, email: u.email }, as, true);
    } catch (err) {
      onError(teacherMessage(err, 'The team could not be changed.'));
    }
  };

  const list = (what: 'members' | 'coaches', title: string) => (
    <>
      <h3>{title}</h3>
      {people && people[what].length === 0 ? <p>None yet.</p> : (
        <ul className="people">
          {(people?.[what] ?? []).map((p) => (
            <li key={p.id} className="row">
              <span>{p.name} ({p.email})</span>
              <button type="button" className="small" onClick={() => void change(p, what, false)}
                aria-label={`Remove ${p.email} from the ${what}`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
    </>
  );

  return (
    <section className="card" aria-labelledby="team-people-title">
      <h2 id="team-people-title">People of {team.name}</h2>
      {list('members', 'Members')}
      {list('coaches', 'Coaches')}
      <form onSubmit={add} className="row" aria-label={`Add someone to ${team.name}`}>
        <label htmlFor="team-add-email">Email</label>
        <input id="team-add-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="team-add-as">as</label>
        <select id="team-add-as" value={as} onChange={(e) => setAs(e.target.value as 'members' | 'coaches')}>
          <option value="members">Member</option>
          <option value="coaches">Coach</option>
        </select>
        <button type="submit" className="primary">Add</button>
      </form>
    </section>
  );
}
